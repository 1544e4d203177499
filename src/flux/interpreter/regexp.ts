import { CallError } from './flux-error.js';

/**
 * Translates a Flux (RE2) regular expression to a JavaScript RegExp. RE2 and JS agree on most
 * syntax; the differences Flux scripts use are handled: leading flag groups `(?i)`, `(?s)`,
 * `(?m)`, named groups `(?P<name>…)`, `\A` and `\z`, and POSIX classes `[[:alpha:]]` inside
 * brackets.
 */
export function compileRegexp(source: string): RegExp {
  let pattern = source;
  let flags = '';
  const leading = /^\(\?([imsU]+)\)/.exec(pattern);
  if (leading !== null) {
    for (const f of leading[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
    pattern = pattern.slice(leading[0].length);
  }
  pattern = pattern
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => {
      const cls = POSIX_CLASSES[name];
      if (cls === undefined) return m;
      return neg === '' ? cls : `^${cls}`;
    });
  try {
    return new RegExp(pattern, flags);
  } catch (e) {
    throw new CallError(`invalid regular expression ${JSON.stringify(source)}: ${(e as Error).message}`);
  }
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};
