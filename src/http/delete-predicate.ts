import { ErrorCode, invalid, SluiceError } from '../core/errors.js';
import type { Predicate } from '../storage/storage.js';

/**
 * The delete API's predicate language (reference §4.6): `key = "value"` (or `!=`) terms joined by
 * `AND`, with parentheses. Keys are tag keys or `_measurement`, bare or double-quoted; values are
 * double-quoted strings, bare identifiers, numbers, durations or booleans, all compared as
 * strings. Regexes, `OR` and range operators are refused with InfluxDB's messages; `_field` is 501.
 * Returns undefined for an empty predicate (delete everything in the time range).
 */
export function parseDeletePredicate(text: string): Predicate | undefined {
  const tokens = scan(text);
  if (tokens.length === 0) return undefined;
  const p = new Parser(tokens);
  const result = p.expression();
  p.expectEnd();
  return result;
}

type TokenKind = 'ident' | 'string' | 'number' | 'op' | 'lparen' | 'rparen' | 'squote' | 'bad';

interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
}

const fail = (message: string): SluiceError => invalid(`error decoding json body: ${message}`);

function scan(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')') {
      out.push({ kind: c === '(' ? 'lparen' : 'rparen', text: c, pos: start });
      i++;
    } else if (c === '"' || c === "'") {
      i++;
      let v = '';
      while (i < s.length && s[i] !== c) {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        v += s[i];
        i++;
      }
      if (i >= s.length) throw fail(`unterminated string at position ${start}`);
      i++;
      out.push({ kind: c === '"' ? 'string' : 'squote', text: v, pos: start });
    } else if ('=!<>'.includes(c)) {
      const two = s.slice(i, i + 2);
      const op = ['!=', '=~', '!~', '<=', '>=', '<>'].includes(two) ? two : c;
      i += op.length;
      out.push({ kind: 'op', text: op, pos: start });
    } else if (/[A-Za-z_0-9.\-+]/.test(c)) {
      while (i < s.length && /[A-Za-z_0-9.\-+:µ]/.test(s[i]!)) i++;
      const word = s.slice(start, i);
      out.push({ kind: /^[-+]?[0-9.]/.test(word) ? 'number' : 'ident', text: word, pos: start });
    } else {
      out.push({ kind: 'bad', text: c, pos: start });
      i++;
    }
  }
  return out;
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  expression(): Predicate {
    let left = this.term();
    for (;;) {
      const t = this.peek();
      if (t === undefined || t.kind === 'rparen') return left;
      if (t.kind === 'ident' && t.text.toUpperCase() === 'AND') {
        this.i++;
        left = { kind: 'and', left, right: this.term() };
      } else if (t.kind === 'ident' && t.text.toUpperCase() === 'OR') {
        throw fail(`the logical operator OR is not supported yet at position ${t.pos}`);
      } else {
        throw fail(`extra token ${JSON.stringify(t.text)} at position ${t.pos}`);
      }
    }
  }

  expectEnd(): void {
    const t = this.peek();
    if (t !== undefined) throw fail(`extra token ${JSON.stringify(t.text)} at position ${t.pos}`);
  }

  private term(): Predicate {
    const t = this.next('a tag key');
    if (t.kind === 'lparen') {
      const inner = this.expression();
      const close = this.next('")"');
      if (close.kind !== 'rparen') throw fail(`expected ")" at position ${close.pos}`);
      return inner;
    }
    if (t.kind !== 'ident' && t.kind !== 'string') throw fail(`bad tag key: ${JSON.stringify(t.text)}, at position ${t.pos}`);
    const key = t.text;
    const op = this.next('an operator');
    if (op.kind !== 'op') throw fail(`expected an operator at position ${op.pos}`);
    if (op.text !== '=' && op.text !== '!=') throw fail(`operator: ${JSON.stringify(op.text)} at position: ${op.pos} is not supported yet`);
    const v = this.next('a tag value');
    if (v.kind !== 'string' && v.kind !== 'ident' && v.kind !== 'number') {
      throw fail(`bad tag value: ${JSON.stringify(v.text)}, at position ${v.pos}`);
    }
    if (key === '_field') throw new SluiceError(ErrorCode.NotImplemented, 'delete by field is not supported');
    if (key === '_time' || key === '_value') throw fail(`delete by ${key} is not supported`);
    return { kind: 'compare', key, op: op.text === '=' ? '==' : '!=', value: v.text };
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(what: string): Token {
    const t = this.tokens[this.i];
    if (t === undefined) throw fail(`expected ${what} at end of predicate`);
    this.i++;
    return t;
  }
}
