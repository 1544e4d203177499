/**
 * Go's `strings` semantics on JS strings: indexes are UTF-8 byte offsets, cutsets and character
 * sets are sets of code points, case mapping is per code point (simple mappings only, as Go).
 */

/** UTF-8 length of s[0, end) (end in UTF-16 code units). */
export function utf8Offset(s: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const codePoints = (s: string): string[] => Array.from(s);

/** Index of the first code point of `s` in `chars` (UTF-16 index), or -1. */
function firstOf(s: string, chars: string): number {
  const set = new Set(codePoints(chars));
  let i = 0;
  for (const c of s) {
    if (set.has(c)) return i;
    i += c.length;
  }
  return -1;
}

export function index(s: string, sub: string): number {
  const i = s.indexOf(sub);
  return i < 0 ? -1 : utf8Offset(s, i);
}

export function lastIndex(s: string, sub: string): number {
  const i = s.lastIndexOf(sub);
  return i < 0 ? -1 : utf8Offset(s, i);
}

export function indexAny(s: string, chars: string): number {
  const i = firstOf(s, chars);
  return i < 0 ? -1 : utf8Offset(s, i);
}

export function lastIndexAny(s: string, chars: string): number {
  const set = new Set(codePoints(chars));
  let last = -1;
  let i = 0;
  for (const c of s) {
    if (set.has(c)) last = i;
    i += c.length;
  }
  return last < 0 ? -1 : utf8Offset(s, last);
}

export function containsAny(s: string, chars: string): boolean {
  return firstOf(s, chars) >= 0;
}

/** Non-overlapping occurrences; an empty substring counts code points + 1, as Go. */
export function count(s: string, sub: string): number {
  if (sub === '') return codePoints(s).length + 1;
  let n = 0;
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}

export function trimLeft(s: string, cutset: string): string {
  const set = new Set(codePoints(cutset));
  const cps = codePoints(s);
  let i = 0;
  while (i < cps.length && set.has(cps[i]!)) i++;
  return cps.slice(i).join('');
}

export function trimRight(s: string, cutset: string): string {
  const set = new Set(codePoints(cutset));
  const cps = codePoints(s);
  let j = cps.length;
  while (j > 0 && set.has(cps[j - 1]!)) j--;
  return cps.slice(0, j).join('');
}

export const trim = (s: string, cutset: string): string => trimLeft(trimRight(s, cutset), cutset);

/** Go's unicode.IsSpace. */
const isSpace = (c: string): boolean => /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(c);

export function trimSpace(s: string): string {
  const cps = codePoints(s);
  let i = 0;
  let j = cps.length;
  while (i < j && isSpace(cps[i]!)) i++;
  while (j > i && isSpace(cps[j - 1]!)) j--;
  return cps.slice(i, j).join('');
}

/** Per-code-point simple case mapping: a mapping that would expand to several is not applied. */
function mapCase(s: string, f: (c: string) => string, firstOfMany: boolean): string {
  let out = '';
  for (const c of s) {
    const m = f(c);
    out += codePoints(m).length === 1 ? m : firstOfMany ? codePoints(m)[0]! : c;
  }
  return out;
}

/** Whether every UTF-16 unit of `s` is ASCII (whose case mappings are one to one, as Go's). */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

export const toUpper = (s: string): string => (isAscii(s) ? s.toUpperCase() : mapCase(s, (c) => c.toUpperCase(), false));

/** The Latin digraphs, whose title case differs from their upper case (ǳ → ǲ, not Ǳ). */
const TITLE_DIGRAPHS: Readonly<Record<string, string>> = {
  Ǆ: 'ǅ', ǅ: 'ǅ', ǆ: 'ǅ', Ǉ: 'ǈ', ǈ: 'ǈ', ǉ: 'ǈ', Ǌ: 'ǋ', ǋ: 'ǋ', ǌ: 'ǋ', Ǳ: 'ǲ', ǲ: 'ǲ', ǳ: 'ǲ',
};

/** Go's ToTitle: title case per code point (upper case except for the digraphs). */
export const toTitle = (s: string): string => (isAscii(s) ? s.toUpperCase() : mapCase(s, (c) => TITLE_DIGRAPHS[c] ?? c.toUpperCase(), false));
export const toLower = (s: string): string => (isAscii(s) ? s.toLowerCase() : mapCase(s, (c) => c.toLowerCase(), true));

/** Go's strings.Title: upper-cases the first letter of each word. */
export function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const c of s) {
    out += isSeparator(prev) ? toTitle(c) : c;
    prev = c;
  }
  return out;
}

function isSeparator(c: string): boolean {
  const cp = c.codePointAt(0)!;
  if (cp <= 0x7f) return !/[0-9A-Za-z_]/.test(c);
  if (/^[\p{L}\p{Nd}]$/u.test(c)) return false;
  return isSpace(c);
}

export function equalFold(a: string, b: string): boolean {
  const x = codePoints(a);
  const y = codePoints(b);
  if (x.length !== y.length) return false;
  return x.every((c, i) => c === y[i] || toLower(c) === toLower(y[i]!) || toUpper(c) === toUpper(y[i]!));
}

/** Go's Compare: byte-wise (UTF-8) order, which is code point order. */
export function compare(a: string, b: string): number {
  const x = codePoints(a);
  const y = codePoints(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

/** Go's Replace: the first n non-overlapping occurrences (all when n < 0); "" matches between code points. */
export function replace(s: string, old: string, replacement: string, n: number): string {
  if (n === 0 || old === replacement) return s;
  if (old === '') {
    const cps = codePoints(s);
    let out = '';
    let done = 0;
    for (let i = 0; i <= cps.length; i++) {
      if (n < 0 || done < n) {
        out += replacement;
        done++;
      }
      if (i < cps.length) out += cps[i];
    }
    return out;
  }
  let out = '';
  let from = 0;
  let done = 0;
  for (let i = s.indexOf(old); i >= 0 && (n < 0 || done < n); i = s.indexOf(old, from)) {
    out += s.slice(from, i) + replacement;
    from = i + old.length;
    done++;
  }
  return out + s.slice(from);
}

/**
 * Go's SplitN / SplitAfterN: at most n pieces (all when n < 0, none when n = 0); an empty
 * separator splits into code points. `after` keeps each separator at the end of its piece.
 */
export function splitN(s: string, sep: string, n: number, after: boolean): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const cps = codePoints(s);
    if (n < 0 || n >= cps.length) return cps;
    return [...cps.slice(0, n - 1), cps.slice(n - 1).join('')];
  }
  const out: string[] = [];
  let from = 0;
  while (n < 0 || out.length < n - 1) {
    const i = s.indexOf(sep, from);
    if (i < 0) break;
    out.push(s.slice(from, after ? i + sep.length : i));
    from = i + sep.length;
  }
  out.push(s.slice(from));
  return out;
}

/** Code points [start, end) with Go Flux's clamping (start to [0, len], end to [start, len]). */
export function substring(s: string, start: number, end: number): string {
  const cps = codePoints(s);
  const a = Math.max(0, Math.min(start, cps.length));
  const b = Math.max(a, Math.min(end, cps.length));
  return cps.slice(a, b).join('');
}

export const runeCount = (s: string): number => codePoints(s).length;
