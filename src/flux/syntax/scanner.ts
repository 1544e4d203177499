import type { Position } from './ast.js';
import type { Token, TokenType } from './token.js';
import { KEYWORDS } from './token.js';

/**
 * How the next token is read. A `/` is division in `main` and may start a regex literal in
 * `regex`; the parser asks for `regex` only where an operand may begin (the SPEC's
 * regex-vs-division rule). `stringExpr` reads the inside of a string that has `${}` parts.
 */
export type ScanMode = 'main' | 'regex' | 'stringExpr';

const DURATION_UNITS = ['mo', 'ms', 'us', 'µs', 'ns', 'y', 'w', 'd', 'h', 'm', 's'] as const;
const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{Nd}_]/u;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Identifier characters: ASCII decided by code, anything else by Unicode class. */
function isIdentStart(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  return IDENT_START.test(String.fromCodePoint(s.codePointAt(i)!));
}

function isIdentPart(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
  return IDENT_PART.test(String.fromCodePoint(s.codePointAt(i)!));
}

/** UTF-16 length of the code point at `i`. */
function cpLength(s: string, i: number): number {
  return s.codePointAt(i)! > 0xffff ? 2 : 1;
}
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
/** Ragel's `space` minus newline, which is counted separately. */
const isBlank = (c: string): boolean =>
  c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f' || c === '\n';

/**
 * A byte/char-level scanner for Flux with longest-match semantics (the next token is the
 * longest sequence of characters that forms a valid token). Comments and whitespace are skipped.
 * Positions are 1-based lines and 1-based columns counted in UTF-8 bytes, as Flux reports them.
 * Characters that start no token become one-character ILLEGAL tokens; the scanner never fails.
 */
export class Scanner {
  private readonly src: string;
  /** UTF-8 byte offset of each UTF-16 index (length + 1 entries). */
  private readonly byteAt: Int32Array;
  /** UTF-16 index of the start of each line. */
  private readonly lineStarts: number[];
  private pos = 0;
  private checkpoint = 0;
  /** Line index of the last positionAt answer. */
  private lastLine = 0;

  constructor(src: string) {
    this.src = src;
    this.byteAt = new Int32Array(src.length + 1);
    this.lineStarts = [0];
    let bytes = 0;
    for (let i = 0; i < src.length; i++) {
      this.byteAt[i] = bytes;
      const code = src.charCodeAt(i);
      if (code < 0x80) bytes += 1;
      else if (code < 0x800) bytes += 2;
      else if (code >= 0xd800 && code <= 0xdbff) bytes += 2; // high surrogate: half of 4 bytes
      else if (code >= 0xdc00 && code <= 0xdfff) bytes += 2; // low surrogate: other half
      else bytes += 3;
      if (code === 10) this.lineStarts.push(i + 1);
    }
    this.byteAt[src.length] = bytes;
  }

  /** The source text between two UTF-16 offsets. */
  slice(start: number, end: number): string {
    return this.src.slice(start, end);
  }

  positionAt(offset: number): Position {
    // Tokens come in order: try the line of the previous lookup and the next one first.
    const starts = this.lineStarts;
    let line = this.lastLine;
    if (starts[line]! <= offset) {
      while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
      if (line - this.lastLine <= 2) {
        this.lastLine = line;
        return { line: line + 1, column: this.byteAt[offset]! - this.byteAt[starts[line]!]! + 1 };
      }
    }
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.lastLine = lo;
    return { line: lo + 1, column: this.byteAt[offset]! - this.byteAt[this.lineStarts[lo]!]! + 1 };
  }

  /** Goes back to before the last `scan` call (used to re-read a `/` as a regex). */
  unread(): void {
    this.pos = this.checkpoint;
  }

  scan(mode: ScanMode = 'main'): Token {
    this.checkpoint = this.pos;
    if (mode !== 'stringExpr') this.skipBlanksAndComments();
    const start = this.pos;
    if (start >= this.src.length) return this.token('EOF', start, start);
    if (mode === 'stringExpr') return this.scanStringExprPart(start);
    if (mode === 'regex' && this.src[start] === '/') {
      const end = this.regexEnd(start);
      if (end > 0) return this.token('REGEX', start, end);
    }
    return this.scanMain(start);
  }

  private token(type: TokenType, start: number, end: number): Token {
    this.pos = end;
    return {
      type,
      lit: this.src.slice(start, end),
      startOffset: start,
      endOffset: end,
      start: this.positionAt(start),
      end: this.positionAt(end),
    };
  }

  private skipBlanksAndComments(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === undefined) return;
      if (isBlank(c)) {
        this.pos++;
      } else if (c === '/' && s[this.pos + 1] === '/') {
        const nl = s.indexOf('\n', this.pos);
        this.pos = nl < 0 ? s.length : nl + 1;
      } else {
        return;
      }
    }
  }

  private scanMain(start: number): Token {
    const s = this.src;
    const c = s[start]!;
    if (isIdentStart(s, start)) {
      let end = start + cpLength(s, start);
      while (end < s.length && isIdentPart(s, end)) end += cpLength(s, end);
      return this.token(KEYWORDS.get(s.slice(start, end)) ?? 'IDENT', start, end);
    }
    if (isDigit(c) || (c === '.' && isDigit(s[start + 1]))) return this.scanNumberLike(start);
    if (c === '"') {
      const end = this.stringLitEnd(start);
      return end > 0 ? this.token('STRING', start, end) : this.token('QUOTE', start, start + 1);
    }
    if (c === '@') {
      if (start + 1 < s.length && isIdentStart(s, start + 1)) {
        let end = start + 1 + cpLength(s, start + 1);
        while (end < s.length && isIdentPart(s, end)) end += cpLength(s, end);
        return this.token('ATTRIBUTE', start, end);
      }
      return this.illegal(start);
    }
    const two = s.slice(start, start + 2);
    const twoType = TWO_CHAR_OPERATORS.get(two);
    if (twoType !== undefined) return this.token(twoType, start, start + 2);
    const oneType = ONE_CHAR_OPERATORS.get(c);
    if (oneType !== undefined) return this.token(oneType, start, start + 1);
    return this.illegal(start);
  }

  private illegal(start: number): Token {
    const cp = this.src.codePointAt(start)!;
    return this.token('ILLEGAL', start, start + (cp > 0xffff ? 2 : 1));
  }

  /** INT, FLOAT, DURATION or TIME: whichever matches the most characters (first on ties). */
  private scanNumberLike(start: number): Token {
    const s = this.src;
    let digitsEnd = start;
    while (isDigit(s[digitsEnd])) digitsEnd++;
    const candidates: [TokenType, number][] = [];
    if (digitsEnd > start) candidates.push(['INT', digitsEnd]);
    if (s[digitsEnd] === '.' && (digitsEnd > start || isDigit(s[digitsEnd + 1]))) {
      let end = digitsEnd + 1;
      while (isDigit(s[end])) end++;
      candidates.push(['FLOAT', end]);
    }
    if (digitsEnd > start) {
      const durEnd = this.durationEnd(start);
      if (durEnd > 0) candidates.push(['DURATION', durEnd]);
      const timeEnd = this.dateTimeEnd(start);
      if (timeEnd > 0) candidates.push(['TIME', timeEnd]);
    }
    let best = candidates[0]!;
    for (const cand of candidates) if (cand[1] > best[1]) best = cand;
    return this.token(best[0], start, best[1]);
  }

  /**
   * End of the longest `(digits unit)+` at `start`, or -1. Units overlap (`m`, `mo`, `ms`), so
   * every reading is followed; iterative, so a very long literal cannot exhaust the stack.
   */
  private durationEnd(start: number): number {
    const s = this.src;
    let best = -1;
    const pending = [start];
    const seen = new Set<number>();
    while (pending.length > 0) {
      const at = pending.pop()!;
      let digitsEnd = at;
      while (isDigit(s[digitsEnd])) digitsEnd++;
      if (digitsEnd === at) continue;
      for (const unit of DURATION_UNITS) {
        if (!s.startsWith(unit, digitsEnd)) continue;
        const next = digitsEnd + unit.length;
        if (next > best) best = next;
        if (!seen.has(next)) {
          seen.add(next);
          pending.push(next);
        }
      }
    }
    return best;
  }

  /** End of `YYYY-MM-DD` with an optional `Thh:mm:ss[.fff][offset]`, or -1. */
  private dateTimeEnd(start: number): number {
    const s = this.src;
    const digitsAt = (i: number, n: number): boolean => {
      for (let k = 0; k < n; k++) if (!isDigit(s[i + k])) return false;
      return true;
    };
    if (!(digitsAt(start, 4) && s[start + 4] === '-' && digitsAt(start + 5, 2))) return -1;
    if (!(s[start + 7] === '-' && digitsAt(start + 8, 2))) return -1;
    const dateEnd = start + 10;
    const t = dateEnd + 1;
    if (
      s[dateEnd] !== 'T' ||
      !(digitsAt(t, 2) && s[t + 2] === ':' && digitsAt(t + 3, 2) && s[t + 5] === ':' && digitsAt(t + 6, 2))
    ) {
      return dateEnd;
    }
    let end = t + 8;
    if (s[end] === '.') {
      end++;
      while (isDigit(s[end])) end++;
    }
    if (s[end] === 'Z') end++;
    else if (
      (s[end] === '+' || s[end] === '-') &&
      digitsAt(end + 1, 2) &&
      s[end + 3] === ':' &&
      digitsAt(end + 4, 2)
    ) {
      end += 6;
    }
    return end;
  }

  /**
   * Length of one string character at `i` (an escape, a `\xNN` byte, a `$` not starting `${`,
   * or any other character), or 0 when no valid string character starts there. A `"` counts
   * as a character only inside `$"`-free text; callers stop at `"` themselves.
   */
  private stringCharLength(i: number): number {
    const s = this.src;
    const c = s[i];
    if (c === undefined) return 0;
    if (c === '\\') {
      const n = s[i + 1];
      if (n === 'n' || n === 'r' || n === 't' || n === '\\' || n === '"') return 2;
      if (n === '$' && s[i + 2] === '{') return 3;
      if (n === 'x' && isHex(s[i + 2]) && isHex(s[i + 3])) return 4;
      return 0;
    }
    if (c === '$') {
      const n = s[i + 1];
      if (n === undefined || n === '{' || n === '"') return 0;
      return 1 + (s.codePointAt(i + 1)! > 0xffff ? 2 : 1);
    }
    return s.codePointAt(i)! > 0xffff ? 2 : 1;
  }

  /** End of a complete string literal without interpolation starting at `start`, or -1. */
  private stringLitEnd(start: number): number {
    const s = this.src;
    let i = start + 1;
    for (;;) {
      if (s[i] === '"') return i + 1;
      if (s[i] === '$' && s[i + 1] === '"') return i + 2;
      const n = this.stringCharLength(i);
      if (n === 0) return -1;
      i += n;
    }
  }

  private scanStringExprPart(start: number): Token {
    const s = this.src;
    if (s[start] === '$' && s[start + 1] === '{') return this.token('STRINGEXPR', start, start + 2);
    if (s[start] === '$' && s[start + 1] === '"') return this.token('TEXT', start, start + 1);
    if (s[start] === '"') return this.token('QUOTE', start, start + 1);
    let i = start;
    while (i < s.length && s[i] !== '"') {
      const n = this.stringCharLength(i);
      if (n === 0) break;
      i += n;
    }
    return i > start ? this.token('TEXT', start, i) : this.illegal(start);
  }

  /**
   * End of the longest regex literal `/.../` at `start`, or -1. The body is one or more
   * characters; `\/` continues the body, so a `/` after a backslash may either end the literal
   * or continue it, and the longest reading wins.
   */
  private regexEnd(start: number): number {
    const s = this.src;
    let best = -1;
    for (let i = start + 1; i < s.length; i++) {
      if (s[i] !== '/') continue;
      if (i > start + 1) best = i + 1;
      if (s[i - 1] !== '\\' || i - 1 === start) break;
    }
    return best;
  }
}

const TWO_CHAR_OPERATORS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['==', 'EQ'],
  ['<=', 'LTE'],
  ['>=', 'GTE'],
  ['!=', 'NEQ'],
  ['=~', 'REGEXEQ'],
  ['!~', 'REGEXNEQ'],
  ['=>', 'ARROW'],
  ['<-', 'PIPE_RECEIVE'],
  ['|>', 'PIPE_FORWARD'],
]);

const ONE_CHAR_OPERATORS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['+', 'ADD'],
  ['-', 'SUB'],
  ['*', 'MUL'],
  ['/', 'DIV'],
  ['%', 'MOD'],
  ['^', 'POW'],
  ['<', 'LT'],
  ['>', 'GT'],
  ['=', 'ASSIGN'],
  ['(', 'LPAREN'],
  [')', 'RPAREN'],
  ['[', 'LBRACK'],
  [']', 'RBRACK'],
  ['{', 'LBRACE'],
  ['}', 'RBRACE'],
  [':', 'COLON'],
  [',', 'COMMA'],
  ['.', 'DOT'],
  ['"', 'QUOTE'],
  ['?', 'QUESTION_MARK'],
]);
