import { utf8Offset } from '../strings/go-strings.js';

/**
 * Go's regexp semantics over a compiled JS RegExp: match lists skip an empty match that abuts
 * the previous match (as Go's FindAll), offsets are UTF-8 bytes, and replacement templates use
 * Go's `$1`, `${1}`, `$name`, `${name}`, `$$`.
 */

export interface Match {
  /** UTF-16 indexes into the subject. */
  readonly start: number;
  readonly end: number;
  readonly groups: readonly (string | undefined)[];
  readonly named: Readonly<Record<string, string | undefined>>;
}

function globalOf(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
}

/** Up to n matches (all when n < 0), as Go's FindAllStringSubmatchIndex. */
export function findAll(re: RegExp, s: string, n = -1): Match[] {
  const g = globalOf(re);
  const out: Match[] = [];
  let prevEnd = -1;
  while (n < 0 || out.length < n) {
    const m = g.exec(s);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0) {
      // Advance past the empty match by one code point.
      const cp = s.codePointAt(start);
      g.lastIndex = start + (cp !== undefined && cp > 0xffff ? 2 : 1);
      if (start === prevEnd) continue;
    }
    out.push({ start, end, groups: [...m], named: m.groups ?? {} });
    prevEnd = end;
    if (start >= s.length) break;
  }
  return out;
}

export function findStringIndex(re: RegExp, s: string): number[] {
  const m = findAll(re, s, 1)[0];
  return m === undefined ? [] : [utf8Offset(s, m.start), utf8Offset(s, m.end)];
}

/** Expands a Go replacement template for one match. */
function expand(template: string, m: Match): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$' || i + 1 >= template.length) {
      out += c;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    let next: number;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close < 0 || !/^\w+$/.test(inner)) {
        out += c;
        continue;
      }
      name = inner;
      next = close + 1;
    } else {
      const word = /^\w+/.exec(template.slice(i + 1));
      if (word === null) {
        out += c;
        continue;
      }
      name = word[0];
      next = i + 1 + name.length;
    }
    out += /^\d+$/.test(name) ? (m.groups[Number(name)] ?? '') : (m.named[name] ?? '');
    i = next - 1;
  }
  return out;
}

export function replaceAll(re: RegExp, s: string, template: string): string {
  let out = '';
  let from = 0;
  for (const m of findAll(re, s)) {
    out += s.slice(from, m.start) + expand(template, m);
    from = m.end;
  }
  return out + s.slice(from);
}

/** Go's Regexp.Split: at most n pieces (all when n < 0, none when n = 0). */
export function split(re: RegExp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.source !== '(?:)' && s === '') return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of findAll(re, s, n)) {
    if (n > 0 && out.length === n - 1) break;
    end = m.start;
    if (m.end !== 0) out.push(s.slice(beg, end));
    beg = m.end;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go's QuoteMeta: escapes every regexp metacharacter. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
