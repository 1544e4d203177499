import { formatDuration } from '../../core/duration.js';
import { formatRfc3339Nano } from '../../core/time.js';
import { escapeStringText, regexBody } from '../../flux/syntax/printer.js';
import type { Aggregate, Predicate } from '../../storage/storage.js';
import type { ValueFilter } from '../value-filter.js';
import type { RemoteTarget } from './remote-target.js';

export interface RemoteRead {
  readonly target: RemoteTarget;
  /** Half-open `[startNs, stopNs)`, as range() gave it. */
  readonly startNs: bigint;
  readonly stopNs: bigint;
  readonly predicate?: Predicate | undefined;
  /**
   * `r._value <op> literal` conjuncts of the read's filter calls (all must hold), sent as a second
   * `filter` so only matching rows cross the network. The caller still runs its whole filter
   * over what arrives: the remote only has to keep every row that filter keeps.
   */
  readonly values?: readonly ValueFilter[] | undefined;
  /**
   * An aggregate the remote computes: bare (`|> count()`, the plain output itself) or per window,
   * as storage rows are (`aggregateWindow(…, createEmpty: false, timeSrc: "_start")`: one row per
   * non-empty window, timed at its start), for the push-down's `finish` to shape.
   */
  readonly aggregate?: { readonly name: Aggregate; readonly window?: { readonly everyNs: bigint; readonly offsetNs: bigint } | undefined } | undefined;
}

/**
 * The Flux a remote read sends, as InfluxDB does from its plan: `from` with the bucket, `range`
 * with absolute bounds (so the remote's clock does not matter), one `filter` holding the
 * pushed-down predicate, then the aggregate if one was pushed. The predicate is the storage form
 * (`Predicate`) turned back into Flux; the remote pushes it down into its own storage.
 */
export function remoteReadQuery(read: RemoteRead): string {
  let q = `from(${bucketArgument(read.target)})\n    |> range(start: ${formatRfc3339Nano(read.startNs)}, stop: ${formatRfc3339Nano(read.stopNs)})`;
  if (read.predicate !== undefined && read.predicate.kind !== 'true') q += `\n    |> filter(fn: (r) => ${predicateFlux(read.predicate)})`;
  // After the series predicate, so a value comparison only meets the series the user meant it for.
  if (read.values !== undefined && read.values.length > 0) q += `\n    |> filter(fn: (r) => ${read.values.map(valueFilterFlux).join(' and ')})`;
  const agg = read.aggregate;
  if (agg?.window !== undefined) {
    const { everyNs, offsetNs } = agg.window;
    const offset = offsetNs === 0n ? '' : `, offset: ${fluxDuration(offsetNs)}`;
    q += `\n    |> aggregateWindow(every: ${fluxDuration(everyNs)}${offset}, fn: ${agg.name}, createEmpty: false, timeSrc: "_start")`;
  } else if (agg !== undefined) q += `\n    |> ${agg.name}()`;
  return `${q}\n`;
}

/**
 * `influxdb.cardinality(host:)` as InfluxDB's HTTP provider asks the remote: the same call with
 * absolute bounds and the pushed predicate (an aggregate does not apply).
 */
export function remoteCardinalityQuery(read: RemoteRead): string {
  const p = read.predicate;
  const predicate = p === undefined || p.kind === 'true' ? '' : `, predicate: (r) => ${predicateFlux(p)}`;
  return (
    `import "influxdata/influxdb"\n\ninfluxdb.cardinality(${bucketArgument(read.target)}, ` +
    `start: ${formatRfc3339Nano(read.startNs)}, stop: ${formatRfc3339Nano(read.stopNs)}${predicate})\n`
  );
}

/**
 * A value conjunct as Flux, with the literal of the type it had (Flux compares int, uint and float
 * exactly across types; a string or bool stays one). A float Flux has no literal for (NaN, ±Inf,
 * exponent form) and an integer beyond int64 go through a conversion call.
 */
export function valueFilterFlux(f: ValueFilter): string {
  const lit = literalFlux(f.literal);
  return f.literalLeft ? `${lit} ${f.op} r._value` : `r._value ${f.op} ${lit}`;
}

const INT64_MAX = 9_223_372_036_854_775_807n;
const INT64_MIN = -9_223_372_036_854_775_808n;

function literalFlux(v: number | bigint | string | boolean): string {
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return fluxString(v);
    case 'bigint':
      // ValueFilter does not say int or uint; a uint above int64 can only be a uint.
      if (v > INT64_MAX) return `uint(v: "${v}")`;
      return v === INT64_MIN ? `int(v: "${v}")` : `${v}`;
    case 'number': {
      if (Number.isNaN(v)) return 'float(v: "NaN")';
      if (!Number.isFinite(v)) return `float(v: "${v > 0 ? '+Inf' : '-Inf'}")`;
      if (Object.is(v, -0)) return '-0.0';
      const text = String(v);
      if (/e/i.test(text)) return `float(v: "${text}")`;
      return text.includes('.') ? text : `${text}.0`;
    }
  }
}

function bucketArgument(t: RemoteTarget): string {
  return t.bucketID !== undefined ? `bucketID: ${fluxString(t.bucketID)}` : `bucket: ${fluxString(t.bucket ?? '')}`;
}

/** A storage predicate as a Flux boolean expression over `r` (operands parenthesized). */
export function predicateFlux(p: Predicate): string {
  switch (p.kind) {
    case 'true':
      return 'true';
    case 'compare':
      return `r${member(p.key)} ${p.op} ${fluxString(p.value)}`;
    case 'regex':
      return `r${member(p.key)} ${p.op} /${regexBody(re2Source(p.pattern))}/`;
    case 'and':
    case 'or':
      return `(${predicateFlux(p.left)}) ${p.kind} (${predicateFlux(p.right)})`;
    case 'not':
      return `not (${predicateFlux(p.operand)})`;
  }
}

const KEYWORDS = new Set(['and', 'builtin', 'else', 'exists', 'if', 'import', 'not', 'option', 'or', 'package', 'return', 'testcase', 'then']);

/** `.host`, or `["my tag"]` for keys that are not plain identifiers. */
function member(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !KEYWORDS.has(key) ? `.${key}` : `[${fluxString(key)}]`;
}

function fluxDuration(ns: bigint): string {
  return formatDuration({ months: 0, nanoseconds: ns, negative: ns < 0n });
}

function fluxString(s: string): string {
  return `"${escapeStringText(s)}"`;
}

/**
 * The RE2 (Flux) spelling of a pattern the interpreter compiled to a JavaScript RegExp
 * (src/flux/interpreter/regexp.ts): flags back to a leading `(?ims)`, named groups back to
 * `(?P<…>`, the end-of-text assertion back to `\z`. POSIX classes stay expanded (RE2 reads the
 * ranges the same way).
 */
export function re2Source(re: RegExp): string {
  let flags = '';
  for (const f of ['i', 'm', 's']) if (re.flags.includes(f)) flags += f;
  const body = unescapeSlashes(re.source)
    .replace(/\$\(\?!\[\\s\\S\]\)/g, '\\z')
    .replace(/\(\?<(?=[A-Za-z_])/g, '(?P<');
  return `${flags === '' ? '' : `(?${flags})`}${body === '(?:)' ? '' : body}`;
}

/** JavaScript's `source` escapes `/`; the Flux literal escapes it itself (regexBody). */
function unescapeSlashes(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      const next = source[++i]!;
      out += next === '/' ? '/' : c + next;
    } else out += c;
  }
  return out;
}
