import type { Block, File, Node, SourceLocation, Statement } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostic.js';
import { walk } from '../syntax/walk.js';

const STATEMENT_NAMES: Record<Statement['kind'], string> = {
  ExpressionStatement: 'expression',
  VariableAssignment: 'variable',
  OptionStatement: 'option',
  ReturnStatement: 'return',
  BadStatement: 'bad',
  TestCaseStatement: 'testcase',
  BuiltinStatement: 'builtin',
};

/**
 * The shape rules Flux enforces when it converts the AST to its semantic graph, with its
 * messages:
 *
 * - `<-` only as a parameter default, and at most one per function;
 * - a function block holds only assignments and expressions and ends with its one `return`
 *   (`invalid option statement in function block`, `missing return statement in block`,
 *   `invalid return statement in function block` for an early return).
 */
export function checkStructure(file: File, fileName = file.name): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: string, message: string, loc: SourceLocation): void => {
    out.push({ code, message, loc, file: fileName });
  };
  const allowedPipes = new Set<Node>();

  walk(file, (n) => {
    if (n.kind === 'FunctionExpression') {
      let piped = false;
      for (const p of n.params) {
        if (p.value?.kind !== 'PipeLiteral') continue;
        allowedPipes.add(p.value);
        if (piped) report('at-most-one-pipe', 'function types can have at most one pipe parameter', p.value.loc);
        piped = true;
      }
      if (n.body.kind === 'Block') checkFunctionBlock(n.body, report);
    }
    if (n.kind === 'PipeLiteral' && !allowedPipes.has(n)) {
      report(
        'invalid-pipe-literal',
        'a pipe literal may only be used as a default value for an argument in a function definition',
        n.loc,
      );
    }
    return true;
  });
  return out;
}

function checkFunctionBlock(
  block: Block,
  report: (code: string, message: string, loc: SourceLocation) => void,
): void {
  const kept = block.body.filter((s) => {
    const ok = s.kind === 'VariableAssignment' || s.kind === 'ExpressionStatement' || s.kind === 'ReturnStatement';
    if (!ok) report('invalid-function-statement', `invalid ${STATEMENT_NAMES[s.kind]} statement in function block`, s.loc);
    return ok;
  });
  const last = kept[kept.length - 1];
  if (last === undefined) report('missing-return', 'missing return statement in block', block.loc);
  else if (last.kind !== 'ReturnStatement') report('missing-return', 'missing return statement in block', last.loc);
  // Flux folds the block from its end, so early returns are reported last one first.
  for (const s of kept.slice(0, -1).reverse()) {
    if (s.kind === 'ReturnStatement') {
      report('invalid-function-statement', 'invalid return statement in function block', s.loc);
    }
  }
}
