import type { File, Node } from './ast.js';
import type { Diagnostic } from './diagnostic.js';
import type { Message } from './messages.js';
import { messages } from './messages.js';
import { children } from './walk.js';

/** Flux's AST check stops descending below this depth. */
export const MAX_CHECK_DEPTH = 180;

/**
 * Reads the diagnostics off a parsed tree in walk order, as Flux's `ast::check` does: the errors
 * the parser handed to each node, then the node's own problems (bad statements and expressions,
 * records mixing `{a, b: 1}` shorthand with explicit properties).
 */
export function collectDiagnostics(
  file: File,
  errors: ReadonlyMap<Node, readonly Message[]>,
  fileName: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (n: Node, msg: Message): void => {
    out.push({ code: msg.code, message: msg.message, loc: n.loc, file: fileName });
  };
  const visitNode = (n: Node, depth: number): void => {
    if (depth > MAX_CHECK_DEPTH) {
      report(n, messages.nestedTooDeep());
      return;
    }
    for (const e of errors.get(n) ?? []) report(n, e);
    if (n.kind === 'BadStatement') report(n, messages.invalidStatement(n.text));
    if (n.kind === 'BadExpression' && n.text !== '') report(n, messages.invalidExpression(n.text));
    if (n.kind === 'RecordExpression') {
      let implicit = false;
      let explicit = false;
      for (const p of n.properties) {
        if ((errors.get(p)?.length ?? 0) > 0) continue;
        if (p.value === null) {
          implicit = true;
          if (p.key.kind === 'StringLiteral') report(n, messages.stringKeyNeedsValue(p.key.value));
        } else {
          explicit = true;
        }
      }
      if (implicit && explicit) report(n, messages.mixedProperties());
    }
    for (const c of children(n)) visitNode(c, depth + 1);
  };
  visitNode(file, 1);
  return out;
}
