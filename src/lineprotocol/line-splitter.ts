/**
 * Where InfluxDB ends a line (`models.scanLine`): at the first `\n` that is neither escaped by a
 * backslash nor inside a double-quoted field value. Quotes count only after the first space, and
 * only when more `=` than `,` have been seen since it (so a quote in a tag or field key is text).
 * The rule is InfluxDB's to the letter, odd corners included, because it decides which bytes an
 * error message quotes and which line a point comes from.
 */
const NEWLINE = 10;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const EQUALS = 61;
const BACKSLASH = 92;

/**
 * Runs the line scanner from `pos` (a line start) up to `limit`, stopping early at a line-ending
 * newline when `stopAtNewline`. Returns the offset reached; `quoted` says whether the scanner is
 * inside quotes there.
 */
function scan(s: string, pos: number, limit: number, stopAtNewline: boolean): { end: number; quoted: boolean } {
  const n = s.length;
  let quoted = false;
  let inFields = false;
  let equals = 0;
  let commas = 0;
  let i = pos;
  while (i < limit) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH && i + 2 < n) {
      i += 2;
      continue;
    }
    if (c === SPACE) inFields = true;
    if (inFields) {
      if (!quoted && c === EQUALS) {
        equals++;
        i++;
        continue;
      }
      if (!quoted && c === COMMA) {
        commas++;
        i++;
        continue;
      }
      if (c === QUOTE && equals > commas) {
        quoted = !quoted;
        i++;
        continue;
      }
    }
    if (c === NEWLINE && !quoted && stopAtNewline) break;
    i++;
  }
  return { end: i, quoted };
}

/** Offset of the `\n` ending the line that starts at `pos` (or `s.length`). */
export function lineEnd(s: string, pos: number): number {
  return scan(s, pos, s.length, true).end;
}

/**
 * Whether a line starting with `keyText` (its measurement and tags, then the space after them) has
 * the line scanner outside quotes when its fields begin. When it has, and the fields are well
 * formed (plain keys, closed strings), the scanner's quotes match the string values exactly, so
 * the line ends at the first newline after the last string: the parser's fast path relies on it.
 */
export function outsideQuotesAfter(keyText: string): boolean {
  return !scan(keyText, 0, keyText.length, false).quoted;
}
