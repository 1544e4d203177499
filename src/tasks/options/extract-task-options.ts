import type { Duration } from '../../core/duration.js';
import { formatDiagnostics, parse, type Expression, type File, type OptionStatement, type RecordExpression } from '../../flux/syntax/index.js';
import { taskOptionError, validateTaskOptions, type ExtractedTaskOptions, type TaskOptions } from './task-options.js';

const NS_PER_UNIT: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
};

/**
 * Reads `option task = {...}` from a script's AST without evaluating anything, as InfluxDB does
 * (reference §1.1): every value must be a literal (`every: 1h`, not `every: duration(v: "1h")`),
 * unknown keys are ignored, and the errors are InfluxDB's, prefixed `invalid options: `. The
 * result is then validated by `validateTaskOptions`.
 *
 * Also reads `option location = timezone.location(name: "…")` (or `timezone.utc`, or a
 * whole-hour `timezone.fixed(offset: …)`), the zone cron schedules are evaluated in.
 *
 * `nowNs` sizes calendar intervals during validation (see validateTaskOptions).
 */
export function extractTaskOptions(source: string, nowNs: bigint): TaskOptions {
  return validateTaskOptions(extractRawTaskOptions(source), nowNs);
}

/** The extraction step alone (literal reading and presence/type errors), without `Validate()`. */
export function extractRawTaskOptions(source: string): ExtractedTaskOptions {
  const { file, diagnostics } = parse(source);
  if (diagnostics.length > 0) throw taskOptionError(formatDiagnostics(diagnostics));

  const taskOptions = optionStatements(file, 'task');
  if (taskOptions.length > 1) throw taskOptionError('multiple task options defined');
  const statement = taskOptions[0];
  if (statement === undefined) throw taskOptionError('no task options defined');
  const init = statement.assignment.init;
  if (init.kind !== 'RecordExpression') {
    throw taskOptionError(`task option expected to be object literal, but found "${init.kind}"`);
  }
  const fields = recordFields(init);

  const raw: { -readonly [K in keyof ExtractedTaskOptions]: ExtractedTaskOptions[K] } = {};
  const name = fields.get('name');
  if (name === undefined) throw taskOptionError('missing required option: name');
  raw.name = stringValue(name, 'name');

  const cron = fields.get('cron');
  const every = fields.get('every');
  if (cron !== undefined && every !== undefined) throw taskOptionError('cannot use both cron and every in task options');
  if (cron === undefined && every === undefined) throw taskOptionError('missing required option: cron or every');
  if (cron !== undefined) raw.cron = stringValue(cron, 'cron');
  if (every !== undefined) {
    if (every.kind !== 'DurationLiteral') throw fieldError('every');
    raw.every = durationValue(every);
  }

  const offset = fields.get('offset');
  if (offset !== undefined) raw.offset = signedDurationValue(offset, 'offset');
  const concurrency = fields.get('concurrency');
  if (concurrency !== undefined) raw.concurrency = integerValue(concurrency, 'concurrency');
  const retry = fields.get('retry');
  if (retry !== undefined) raw.retry = integerValue(retry, 'retry');
  const catchup = fields.get('catchup');
  if (catchup !== undefined) raw.catchup = stringValue(catchup, 'catchup');

  const location = locationOption(file);
  if (location !== undefined) raw.location = location;
  return raw;
}

function optionStatements(file: File, name: string): OptionStatement[] {
  return file.body.filter(
    (s): s is OptionStatement => s.kind === 'OptionStatement' && s.assignment.kind === 'VariableAssignment' && s.assignment.id.name === name,
  );
}

function recordFields(record: RecordExpression): Map<string, Expression> {
  const out = new Map<string, Expression>();
  for (const p of record.properties) {
    const key = p.key.kind === 'Identifier' ? p.key.name : p.key.value;
    // Shorthand `{every}` refers to a variable: not a literal, so the field cannot be read.
    out.set(key, p.value ?? { kind: 'Identifier', name: key, loc: p.loc });
  }
  return out;
}

function fieldError(field: string): Error {
  return taskOptionError(`failed to parse field '${field}' in task options`);
}

function stringValue(e: Expression, field: string): string {
  if (e.kind !== 'StringLiteral') throw fieldError(field);
  return e.value;
}

function integerValue(e: Expression, field: string): number {
  if (e.kind !== 'IntegerLiteral') throw fieldError(field);
  return Number(e.value);
}

/** A duration literal, or `-`/`+` applied to one (InfluxDB accepts a unary expression for offset). */
function signedDurationValue(e: Expression, field: string): Duration {
  if (e.kind === 'DurationLiteral') return durationValue(e);
  if (e.kind === 'UnaryExpression' && (e.operator === '-' || e.operator === '+') && e.argument.kind === 'DurationLiteral') {
    const d = durationValue(e.argument);
    return e.operator === '+' ? d : { months: d.months === 0 ? 0 : -d.months, nanoseconds: -d.nanoseconds, negative: true };
  }
  throw fieldError(field);
}

function durationValue(e: Extract<Expression, { kind: 'DurationLiteral' }>): Duration {
  let months = 0;
  let nanoseconds = 0n;
  for (const part of e.values) {
    if (part.unit === 'mo') months += Number(part.magnitude);
    else if (part.unit === 'y') months += 12 * Number(part.magnitude);
    else nanoseconds += part.magnitude * NS_PER_UNIT[part.unit]!;
  }
  return { months, nanoseconds, negative: false };
}

/** The zone named by `option location`, or undefined when the script does not set it. */
function locationOption(file: File): string | undefined {
  const statements = optionStatements(file, 'location');
  const statement = statements.at(-1);
  if (statement === undefined) return undefined;
  const aliases = new Set(file.imports.filter((i) => i.path.value === 'timezone').map((i) => i.alias?.name ?? 'timezone'));
  const init = statement.assignment.init;
  const member = (e: Expression, name: string): boolean =>
    e.kind === 'MemberExpression' &&
    e.object.kind === 'Identifier' &&
    aliases.has(e.object.name) &&
    (e.property.kind === 'Identifier' ? e.property.name : e.property.value) === name;

  if (member(init, 'utc')) return 'UTC';
  if (init.kind === 'CallExpression' && init.arguments !== null) {
    const args = recordFields(init.arguments);
    if (member(init.callee, 'location')) {
      const name = args.get('name');
      if (name?.kind === 'StringLiteral') return name.value;
    }
    if (member(init.callee, 'fixed')) {
      const offset = args.get('offset');
      if (offset !== undefined) {
        const d = signedDurationValueOrUndefined(offset);
        if (d !== undefined && d.months === 0 && d.nanoseconds % NS_PER_UNIT.h! === 0n) {
          const hours = Number(d.nanoseconds / NS_PER_UNIT.h!);
          // IANA's Etc/GMT zones have inverted signs: UTC−5 is Etc/GMT+5.
          return hours === 0 ? 'UTC' : `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
        }
      }
    }
  }
  throw taskOptionError(
    'failed to parse option \'location\': expected timezone.location(name: "<IANA zone>"), timezone.utc or timezone.fixed(offset: <whole hours>)',
  );
}

function signedDurationValueOrUndefined(e: Expression): Duration | undefined {
  try {
    return signedDurationValue(e, 'offset');
  } catch {
    return undefined;
  }
}
