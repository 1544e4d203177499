import { parseDuration, type Duration } from '../../core/duration.js';
import { invalid } from '../../core/errors.js';

/**
 * A parsed cron expression. Each field is a membership table indexed by the field's value
 * (`daysOfMonth[1..31]`, `months[1..12]`, `daysOfWeek[0..6]` with 0 = Sunday). `years` is
 * undefined when any year matches.
 *
 * Day matching follows influxdata/cron (the parser InfluxDB uses): a day must satisfy BOTH
 * day-of-month and day-of-week. Vixie cron ORs them when both are restricted; InfluxDB does not.
 */
export interface CronFields {
  readonly seconds: readonly boolean[];
  readonly minutes: readonly boolean[];
  readonly hours: readonly boolean[];
  readonly daysOfMonth: readonly boolean[];
  readonly months: readonly boolean[];
  readonly daysOfWeek: readonly boolean[];
  readonly years: readonly boolean[] | undefined;
}

export type CronExpression =
  | { readonly kind: 'fields'; readonly fields: CronFields }
  /** `@every <duration>`: an interval, aligned like the `every` option. */
  | { readonly kind: 'every'; readonly every: Duration };

export const CRON_MIN_YEAR = 1970;
export const CRON_MAX_YEAR = 2099;

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Offset of `names[0]`'s value (JAN = 1, SUN = 0). */
  readonly namesBase?: number;
}

const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day of month', min: 1, max: 31 };
const MONTH: FieldSpec = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  namesBase: 1,
};
// 7 is accepted as Sunday, as in most crons.
const DAY_OF_WEEK: FieldSpec = {
  name: 'day of week',
  min: 0,
  max: 7,
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  namesBase: 0,
};
const YEAR: FieldSpec = { name: 'year', min: CRON_MIN_YEAR, max: CRON_MAX_YEAR };

const MACROS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
  '@every_minute': '0 * * * * *',
  '@every_second': '* * * * * *',
};

/**
 * Parses 5 fields (`min hour dom month dow`), 6 (leading seconds) or 7 (trailing year
 * 1970–2099); lists, ranges, steps (`*\/5`, `4/10`, `1-30/2`), `?` for day fields,
 * case-insensitive month and day names, and the macros `@yearly @annually @monthly @weekly
 * @daily @midnight @hourly @every_minute @every_second @every <duration>`. Not supported (as in
 * InfluxDB): `L`, `W`, `#`, time zones inside the expression.
 *
 * Throws `invalid` with a message naming the offending field.
 */
export function parseCronExpression(text: string): CronExpression {
  const source = text.trim();
  if (source.startsWith('@')) {
    const lower = source.toLowerCase();
    if (lower.startsWith('@every ')) {
      const literal = source.slice('@every '.length).trim();
      let every: Duration;
      try {
        every = parseDuration(literal);
      } catch {
        throw invalid(`invalid duration "${literal}" in "${source}"`);
      }
      if (every.negative || (every.months === 0 && every.nanoseconds <= 0n)) {
        throw invalid(`@every needs a positive duration, got "${literal}"`);
      }
      return { kind: 'every', every };
    }
    const expanded = MACROS[lower];
    if (expanded === undefined) throw invalid(`unknown cron macro "${source}"`);
    return { kind: 'fields', fields: parseFields(expanded.split(' ')) };
  }
  const parts = source.split(/\s+/).filter((p) => p.length > 0);
  if (parts.length === 5) return { kind: 'fields', fields: parseFields(['0', ...parts]) };
  if (parts.length === 6 || parts.length === 7) return { kind: 'fields', fields: parseFields(parts) };
  throw invalid(`cron expression "${source}" has ${parts.length} fields, expected 5, 6 or 7`);
}

function parseFields(parts: readonly string[]): CronFields {
  const dow = parseField(parts[5]!, DAY_OF_WEEK, true);
  // Fold 7 (Sunday) onto 0.
  const daysOfWeek = dow.slice(0, 7);
  if (dow[7] === true) daysOfWeek[0] = true;
  return {
    seconds: parseField(parts[0]!, SECOND, false),
    minutes: parseField(parts[1]!, MINUTE, false),
    hours: parseField(parts[2]!, HOUR, false),
    daysOfMonth: parseField(parts[3]!, DAY_OF_MONTH, true),
    months: parseField(parts[4]!, MONTH, false),
    daysOfWeek,
    years: parts[6] === undefined || parts[6] === '*' ? undefined : parseField(parts[6], YEAR, false),
  };
}

function parseField(text: string, spec: FieldSpec, questionMark: boolean): boolean[] {
  const set = new Array<boolean>(spec.max + 1).fill(false);
  for (const item of text.split(',')) {
    if (item.length === 0) throw invalid(`empty item in ${spec.name} field "${text}"`);
    const [rangeText, stepText, extra] = item.split('/');
    if (extra !== undefined) throw invalid(`invalid ${spec.name} "${item}"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw invalid(`invalid step "${stepText}" in ${spec.name} "${item}"`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (rangeText === '*' || (questionMark && rangeText === '?')) {
      lo = spec.min;
      hi = spec.name === 'day of week' ? 6 : spec.max;
    } else {
      const bounds = rangeText!.split('-');
      if (bounds.length > 2) throw invalid(`invalid ${spec.name} range "${rangeText}"`);
      lo = parseValue(bounds[0]!, spec);
      // `4/10` means from 4 to the end in steps of 10.
      hi = bounds.length === 2 ? parseValue(bounds[1]!, spec) : stepText !== undefined ? spec.max : lo;
      if (hi < lo) throw invalid(`${spec.name} range "${rangeText}" ends before it starts`);
    }
    for (let v = lo; v <= hi; v += step) set[v] = true;
  }
  return set;
}

function parseValue(text: string, spec: FieldSpec): number {
  let value: number;
  if (/^\d+$/.test(text)) {
    value = Number(text);
  } else {
    const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    if (index < 0) throw invalid(`invalid ${spec.name} "${text}"`);
    value = index + (spec.namesBase ?? 0);
  }
  if (value < spec.min || value > spec.max) {
    throw invalid(`${spec.name} ${value} out of range ${spec.min}-${spec.max}`);
  }
  return value;
}
