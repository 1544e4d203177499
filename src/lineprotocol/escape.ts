/**
 * Line protocol escaping, with InfluxDB's exact (byte-oriented, replace-based) rules:
 *
 * | element                     | escaped on output      | `\x` pairs dropped on input |
 * |-----------------------------|------------------------|-----------------------------|
 * | measurement                 | `,` space              | `\,` `\ `                   |
 * | tag key, tag value          | `,` space `=`          | `\,` `\ ` `\=`              |
 * | field key                   | `,` space `=` `"`      | `\,` `\ ` `\=` `\"`         |
 * | string field value (quoted) | `"` `\`                | `\"` `\\`                   |
 *
 * Any other backslash is kept literally. Some names cannot be written at all, in InfluxDB as here:
 * a name ending with a backslash (the backslash would escape the separator after it), a name
 * containing a newline, a measurement or a first field key starting with a tab or NUL (skipped as
 * whitespace), a measurement starting with `#` (a comment), and a name with a backslash right
 * before `,` ` ` `=` `"`: its escaped form holds `\\` followed by that character, which InfluxDB's
 * line splitter and field scanner read as an escaped backslash and then a bare separator (so a
 * quote later in the line can swallow the newline, and in a field key the `=` ends the key).
 */

const COMMA = 44;
const SPACE = 32;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;

const MEASUREMENT_SPECIAL = /[, ]/;
const MEASUREMENT_SPECIAL_G = /[, ]/g;
const TAG_SPECIAL = /[, =]/;
const TAG_SPECIAL_G = /[, =]/g;
const FIELD_KEY_SPECIAL = /[, ="]/;
const FIELD_KEY_SPECIAL_G = /[, ="]/g;
const STRING_SPECIAL = /["\\]/;
const STRING_SPECIAL_G = /["\\]/g;

export function escapeMeasurement(name: string): string {
  return MEASUREMENT_SPECIAL.test(name) ? name.replace(MEASUREMENT_SPECIAL_G, '\\$&') : name;
}

/** Escapes a tag key or a tag value. */
export function escapeTag(text: string): string {
  return TAG_SPECIAL.test(text) ? text.replace(TAG_SPECIAL_G, '\\$&') : text;
}

export function escapeFieldKey(key: string): string {
  return FIELD_KEY_SPECIAL.test(key) ? key.replace(FIELD_KEY_SPECIAL_G, '\\$&') : key;
}

/** Escapes the content of a string field value (without the surrounding quotes). */
export function escapeStringValue(value: string): string {
  return STRING_SPECIAL.test(value) ? value.replace(STRING_SPECIAL_G, '\\$&') : value;
}

function dropsBackslashBefore(c: number, withEquals: boolean, withQuote: boolean): boolean {
  return c === COMMA || c === SPACE || (withEquals && c === EQUALS) || (withQuote && c === QUOTE);
}

function unescapeName(raw: string, withEquals: boolean, withQuote: boolean): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  let from = 0;
  for (let i = 0; i < raw.length - 1; i++) {
    if (raw.charCodeAt(i) === BACKSLASH && dropsBackslashBefore(raw.charCodeAt(i + 1), withEquals, withQuote)) {
      out += raw.slice(from, i);
      from = i + 1;
    }
  }
  return out + raw.slice(from);
}

export function unescapeMeasurement(raw: string): string {
  return unescapeName(raw, false, false);
}

export function unescapeTag(raw: string): string {
  return unescapeName(raw, true, false);
}

export function unescapeFieldKey(raw: string): string {
  return unescapeName(raw, true, true);
}

/**
 * Unescapes the content of a quoted string field value, `raw[from, to)`: `\\` → `\`, `\"` → `"`,
 * scanned left to right in pairs; any other backslash stays.
 */
export function unescapeStringValue(raw: string, from = 0, to = raw.length): string {
  let out = '';
  let copied = from;
  for (let i = from; i < to - 1; i++) {
    if (raw.charCodeAt(i) !== BACKSLASH) continue;
    const next = raw.charCodeAt(i + 1);
    if (next === BACKSLASH || next === QUOTE) {
      out += raw.slice(copied, i);
      copied = i + 1;
      i++;
    }
  }
  return out + raw.slice(copied, to);
}
