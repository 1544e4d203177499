import type { File } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostic.js';
import { walk } from '../syntax/walk.js';

/**
 * Flux's parser accepts `(a b)`, joining the operands with an `<INVALID_OP>` binary node, and
 * reports it only in semantic analysis: `invalid binary operator <INVALID_OP>` at the node.
 */
export function checkOperators(file: File, fileName = file.name): Diagnostic[] {
  const out: Diagnostic[] = [];
  walk(file, () => true, (n) => {
    if (n.kind === 'BinaryExpression' && n.operator === '<INVALID_OP>') {
      out.push({ code: 'invalid-operator', message: 'invalid binary operator <INVALID_OP>', loc: n.loc, file: fileName });
    }
  });
  return out;
}
