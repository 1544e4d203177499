import type { File, Node, OptionStatement, SourceLocation, Statement } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostic.js';
import { walk } from '../syntax/walk.js';
import { forEachFreeReference } from './resolve-names.js';

/**
 * Flux's assignment rules for one file (a package block), with Flux's messages:
 *
 * - `option "x" reassigned`: an option (or `pkg.x`) assigned twice in the package;
 * - `variable "x" conflicts with option of same name`: a top-level variable named like an option;
 * - `variable "x" reassigned`: a name assigned twice in one block (the package block, a testcase,
 *   or a function, whose parameters count as assigned);
 * - `option "a" depends on option "b", which is defined in the same package`.
 *
 * Flux stops at the first of these; every one is reported here.
 */
export function checkAssignments(file: File, fileName = file.name): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: string, message: string, loc: SourceLocation): void => {
    out.push({ code, message, loc, file: fileName });
  };

  const options = new Map<string, OptionStatement>();
  for (const s of file.body) {
    if (s.kind !== 'OptionStatement') continue;
    const name = optionName(s);
    if (options.has(name)) report('option-reassigned', `option "${name}" reassigned`, s.loc);
    else options.set(name, s);
  }

  checkBlock(file.body, new Set(), true, options, report);

  for (const [name, s] of options) {
    if (s.assignment.kind !== 'VariableAssignment') continue;
    forEachFreeReference(s.assignment.init, [name], (id) => {
      if (options.has(id.name) && !id.name.includes('.')) {
        report(
          'dependent-options',
          `option "${name}" depends on option "${id.name}", which is defined in the same package`,
          id.loc,
        );
      }
    });
  }
  return out;
}

function optionName(s: OptionStatement): string {
  const a = s.assignment;
  if (a.kind === 'VariableAssignment') return a.id.name;
  const object = a.member.object.kind === 'Identifier' ? a.member.object.name : '?';
  const property = a.member.property.kind === 'Identifier' ? a.member.property.name : a.member.property.value;
  return `${object}.${property}`;
}

type Report = (code: string, message: string, loc: SourceLocation) => void;

/** Checks one block's assignments, then the function literals inside its statements. */
function checkBlock(
  statements: readonly Statement[],
  assigned: Set<string>,
  topLevel: boolean,
  options: ReadonlyMap<string, OptionStatement>,
  report: Report,
): void {
  for (const s of statements) {
    if (s.kind === 'VariableAssignment') {
      const name = s.id.name;
      if (topLevel && options.has(name)) {
        report('variable-conflicts-option', `variable "${name}" conflicts with option of same name`, s.loc);
      }
      if (assigned.has(name)) report('variable-reassigned', `variable "${name}" reassigned`, s.loc);
      assigned.add(name);
    }
    if (s.kind === 'TestCaseStatement') checkBlock(s.block.body, new Set(), false, options, report);
    else checkFunctionsIn(s, options, report);
  }
}

/** Each function literal is a block of its own, its parameters already assigned in it. */
function checkFunctionsIn(node: Node, options: ReadonlyMap<string, OptionStatement>, report: Report): void {
  walk(node, (n) => {
    if (n.kind !== 'FunctionExpression') return true;
    const params = new Set<string>();
    for (const p of n.params) {
      if (p.key.kind === 'Identifier') params.add(p.key.name);
      if (p.value !== null) checkFunctionsIn(p.value, options, report);
    }
    if (n.body.kind === 'Block') checkBlock(n.body.body, params, false, options, report);
    else checkFunctionsIn(n.body, options, report);
    return false;
  });
}
