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

/** Offset of the `\n` ending the line that starts at `pos` (or `s.length`). */
export function lineEnd(s: string, pos: number): number {
  const n = s.length;
  let quoted = false;
  let inFields = false;
  let equals = 0;
  let commas = 0;
  let i = pos;
  while (i < n) {
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
    if (c === NEWLINE && !quoted) break;
    i++;
  }
  return i;
}
