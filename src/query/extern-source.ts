import { invalid } from '../core/errors.js';

/**
 * Turns the `extern` of a query request — a Flux AST `File` in InfluxDB's JSON form, which the
 * InfluxDB UI sends for `option v = {timeRangeStart: -1h, …}` — back into Flux source, to be
 * compiled ahead of the query. Covers what such files hold: imports, option and variable
 * assignments whose values are literals, records, arrays, identifiers, member accesses, unary
 * and binary operators and calls. Anything else is refused (`invalid`).
 */
export function externSource(json: unknown): string {
  const file = node(json, 'extern');
  if (file['type'] !== 'File') throw invalid('extern must be a Flux AST File');
  const lines: string[] = [];
  for (const imp of list(file['imports'])) {
    const path = node(node(imp, 'import')['path'], 'import path')['value'];
    const as = node(imp, 'import')['as'];
    lines.push(`import ${as === undefined || as === null ? '' : `${String(node(as, 'alias')['name'])} `}${JSON.stringify(String(path))}`);
  }
  for (const st of list(file['body'])) lines.push(statement(node(st, 'statement')));
  return lines.join('\n');
}

type Node = Record<string, unknown>;

function node(v: unknown, what: string): Node {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`extern: ${what} must be an AST node`);
  return v as Node;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function statement(s: Node): string {
  switch (s['type']) {
    case 'OptionStatement':
      return `option ${assignment(node(s['assignment'], 'assignment'))}`;
    case 'VariableAssignment':
    case 'MemberAssignment':
      return assignment(s);
    default:
      throw invalid(`extern: unsupported statement ${String(s['type'])}`);
  }
}

function assignment(a: Node): string {
  if (a['type'] === 'VariableAssignment') return `${ident(a['id'])} = ${expr(a['init'])}`;
  if (a['type'] === 'MemberAssignment') return `${expr(a['member'])} = ${expr(a['init'])}`;
  throw invalid(`extern: unsupported assignment ${String(a['type'])}`);
}

function ident(v: unknown): string {
  const name = node(v, 'identifier')['name'];
  if (typeof name !== 'string' || !/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) throw invalid('extern: bad identifier');
  return name;
}

function expr(v: unknown): string {
  const e = node(v, 'expression');
  switch (e['type']) {
    case 'Identifier':
      return ident(e);
    case 'StringLiteral':
      return JSON.stringify(String(e['value'])).replace(/\$\{/g, '\\${');
    case 'IntegerLiteral':
    case 'UnsignedIntegerLiteral':
    case 'FloatLiteral': {
      const s = String(e['value']);
      if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s)) throw invalid('extern: bad number literal');
      return e['type'] === 'FloatLiteral' && !s.includes('.') ? `${s}.0` : s;
    }
    case 'BooleanLiteral':
      return e['value'] === true ? 'true' : 'false';
    case 'DateTimeLiteral': {
      const s = String(e['value']);
      if (!/^[0-9T:.\-+Z]+$/.test(s)) throw invalid('extern: bad date-time literal');
      return s;
    }
    case 'DurationLiteral':
      return list(e['values'])
        .map((d) => {
          const dv = node(d, 'duration');
          const unit = String(dv['unit']);
          if (!/^(y|mo|w|d|h|m|s|ms|us|µs|ns)$/.test(unit)) throw invalid('extern: bad duration unit');
          return `${Number(dv['magnitude'])}${unit}`;
        })
        .join('');
    case 'UnaryExpression':
      return `${unaryOp(e['operator'])}${expr(e['argument'])}`;
    case 'BinaryExpression':
      return `(${expr(e['left'])} ${binaryOp(e['operator'])} ${expr(e['right'])})`;
    case 'ParenExpression':
      return `(${expr(e['expression'])})`;
    case 'MemberExpression': {
      const p = node(e['property'], 'property');
      return p['type'] === 'StringLiteral' ? `${expr(e['object'])}[${expr(p)}]` : `${expr(e['object'])}.${ident(p)}`;
    }
    case 'ArrayExpression':
      return `[${list(e['elements']).map(expr).join(', ')}]`;
    case 'ObjectExpression':
      return `{${list(e['properties'])
        .map((p) => {
          const pn = node(p, 'property');
          const key = node(pn['key'], 'key');
          return `${key['type'] === 'StringLiteral' ? expr(key) : ident(key)}: ${expr(pn['value'])}`;
        })
        .join(', ')}}`;
    case 'CallExpression': {
      const args = list(e['arguments']);
      return `${expr(e['callee'])}(${args.length === 0 ? '' : expr(args[0]).slice(1, -1)})`;
    }
    default:
      throw invalid(`extern: unsupported expression ${String(e['type'])}`);
  }
}

function unaryOp(op: unknown): string {
  if (op === '-' || op === '+') return op;
  if (op === 'not') return 'not ';
  throw invalid(`extern: unsupported operator ${String(op)}`);
}

function binaryOp(op: unknown): string {
  if (typeof op === 'string' && ['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', 'and', 'or'].includes(op)) return op;
  throw invalid(`extern: unsupported operator ${String(op)}`);
}
