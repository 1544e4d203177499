/**
 * The line protocol parser. `LineParser.parse` turns a write body into points, or throws one
 * `LineProtocolError` naming every bad line (InfluxDB rejects the whole batch on any parse error).
 *
 * Two paths give the same answer (a differential test holds them to it):
 * - the fast path handles ordinary lines by scanning char codes by hand: the raw
 *   `measurement,tags` text is first checked against the series that followed the previous
 *   line's series last time (batches repeat their order), else looked up in a cache of interned
 *   `Series`; field keys are matched against the last schema seen for that series; numbers are
 *   parsed without building substrings; a timestamp equal to the previous one reuses its bigint;
 * - anything it is not sure of (escaped field keys, errors, odd spacing, huge numbers) goes to
 *   `parseLineExact`, which follows InfluxDB's `models/points.go` quirk for quirk.
 * Lines are split as InfluxDB splits them (`line-splitter.ts`: a newline inside a quoted string
 * does not end a line); lines without quotes, and well-formed lines with strings, skip that scan.
 *
 * A `LineParser` owns bounded interning caches and is meant to live as long as the server, so
 * repeated series cost one string comparison. It keeps no state between calls other than those
 * caches and is not re-entrant (plain synchronous code, so that cannot happen by accident).
 *
 * Byte bodies (what HTTP hands over) are decoded 64 KiB at a time, cut at line ends, so no
 * body-sized string is made (see `LineParserOptions.windowBytes`).
 *
 * Measured (bench/lineprotocol.bench.ts, 21:50 UTC on a loaded 2-core box): 1.31M TSBS cpu-only
 * lines per CPU-second from strings and 1.26M from UTF-8 bytes, 1.06-1.11x the cost of splitting
 * the body into lines and reading every char code; ~70k lines per CPU-second on the exact path
 * alone; ~1.07M lines per CPU-second when every series of the batch is new.
 */
import { Buffer, isAscii } from 'node:buffer';
import { floorDiv } from '../core/time.js';
import { BoundedCache } from './bounded-cache.js';
import { MAX_KEY_BYTES, parseLineExact, scanKeyExact, skipWhitespace, type ExactLine } from './exact-line-parser.js';
import { LineProtocolError, type RejectedLine } from './line-protocol-error.js';
import { FastScanner, NO_TIME, NO_VALUE } from './fast-scanner.js';
import { lineEnd, outsideQuotesAfter } from './line-splitter.js';
import { seriesKey } from './make-series.js';
import {
  FieldType,
  PRECISION_NS,
  type FieldSchema,
  type FieldValue,
  type Point,
  type Precision,
  type Series,
  type Tag,
} from './point.js';

export interface ParseOptions {
  precision: Precision;
  /** Time given to points without a timestamp (the server's "now"), truncated to `precision`. */
  defaultTimeNs: bigint;
}

export interface LineParserOptions {
  /** Most distinct raw `measurement,tags` texts and series remembered. Default 100,000. */
  maxSeries?: number;
  /** Most distinct field schemas remembered. Default 10,000. */
  maxSchemas?: number;
  /**
   * `false` sends every line through the exact parser: slower, same results. For differential
   * tests and for ruling the fast path out when diagnosing a report.
   */
  fastPath?: boolean;
  /**
   * A byte body without quotes is decoded and parsed this many bytes at a time (rounded up to a
   * line end), so a large body never becomes one large string: a 1.8 MB write body would
   * otherwise be copied into a 1.8 MB string that lives outside the young generation and drives
   * full garbage collections. Default 64 KiB; tests use tiny windows to check the seams.
   */
  windowBytes?: number;
}

interface SchemaEntry {
  readonly schema: FieldSchema;
  /** The keys when none needs escaping, so the fast path can match raw text; else null. */
  readonly plainKeys: readonly string[] | null;
  /** UTF-8 length of the longest raw field key. */
  readonly maxKeyBytes: number;
}

interface PrefixEntry {
  /**
   * The raw `measurement,tags` text: up to the first space not preceded by a backslash, so it
   * holds only escaped spaces and does not end with a backslash.
   */
  readonly raw: string;
  readonly series: Series;
  /** UTF-8 length of the raw key text. */
  readonly keyBytes: number;
  /** Fields of the last line of this series seen on the fast path: the guess for the next one. */
  schema: SchemaEntry | null;
  /**
   * The entry whose line followed a line of this one last time: the guess for the next line.
   * Batches repeat their series order (all hosts at t, then all hosts at t + 10 s), so checking
   * the guess with one `startsWith` usually replaces hashing the key text.
   */
  next: PrefixEntry | null;
  /**
   * The prefix cache's generation when this entry was made. Guesses from older generations are
   * ignored and links only point to current entries, so evicted entries cannot pile up in chains.
   */
  generation: number;
  /** See `outsideQuotesAfter`: lines of this series may contain quotes and still take the fast path. */
  readonly quoteSafe: boolean;
}

const NUL = 0;
const TAB = 9;
const NEWLINE = 10;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const EQUALS = 61;
const BACKSLASH = 92;

/** Returned by the fast path when the exact parser must decide. */
const BAIL = Symbol('bail');

/** Bytes of a byte body decoded at a time (see `LineParserOptions.windowBytes`). */
const WINDOW_BYTES = 64 * 1024;

/** What `parseText` accumulates over the windows of one body. */
interface ParseOutput {
  readonly points: Point[];
  rejected: RejectedLine[] | undefined;
  /** Number of the next line to parse (1-based). */
  lineNumber: number;
  readonly precisionNs: bigint;
  readonly defaultNs: bigint;
}

/**
 * The end of the first window of a quote-free body that reaches `at`: just past the first newline
 * at or after `at - 1` that is not preceded by a backslash, or the body's end. Without quotes such
 * a newline always ends a line (InfluxDB's line scanner only skips a newline right after a
 * backslash), and UTF-8 decoding is the same in pieces cut after an ASCII byte, so parsing the
 * windows one after another gives what parsing the whole decoded body would.
 */
function windowEnd(buf: Buffer, at: number): number {
  if (at >= buf.length) return buf.length;
  for (let nl = buf.indexOf(NEWLINE, at - 1); nl >= 0; nl = buf.indexOf(NEWLINE, nl + 1)) {
    if (nl === 0 || buf[nl - 1] !== BACKSLASH) return nl + 1;
  }
  return buf.length;
}

function schemaSignature(keys: readonly string[], types: readonly FieldType[]): string {
  let sig = types.join('');
  for (const k of keys) sig += `|${k.length}:${k}`;
  return sig;
}

export class LineParser {
  private readonly prefixes: BoundedCache<string, PrefixEntry>;
  private readonly seriesByKey: BoundedCache<string, Series>;
  private readonly schemas: BoundedCache<string, SchemaEntry>;

  private readonly scanner = new FastScanner();
  private readonly typeScratch: FieldType[] = [];
  private lastEntry: PrefixEntry | null = null;
  /** Offset of the next unescaped space at or after the current line start (amortises `indexOf`). */
  private nextSpace = -1;
  private readonly fastPath: boolean;
  private readonly windowBytes: number;
  /** Lines parsed by each path since construction (a diagnostic; the exact path is ~10x slower). */
  readonly stats = { fastLines: 0, exactLines: 0 };

  constructor(options: LineParserOptions = {}) {
    const maxSeries = options.maxSeries ?? 100_000;
    this.prefixes = new BoundedCache(maxSeries);
    this.seriesByKey = new BoundedCache(maxSeries);
    this.schemas = new BoundedCache(options.maxSchemas ?? 10_000);
    this.fastPath = options.fastPath ?? true;
    this.windowBytes = Math.max(1, options.windowBytes ?? WINDOW_BYTES);
  }

  /**
   * Parses a whole body. Blank lines, comments and leading whitespace are skipped. Throws
   * `LineProtocolError` (code `invalid`) listing every bad line if any line is bad.
   */
  parse(body: string | Uint8Array, options: ParseOptions): Point[] {
    const precisionNs = PRECISION_NS[options.precision];
    if (precisionNs === undefined) throw new RangeError(`unknown precision ${String(options.precision)}`);
    const defaultNs = floorDiv(options.defaultTimeNs, precisionNs) * precisionNs;
    this.scanner.reset(precisionNs);
    const out: ParseOutput = { points: [], rejected: undefined, lineNumber: 1, precisionNs, defaultNs };
    if (typeof body === 'string') {
      this.parseText(body, out);
    } else {
      const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      const encoding = isAscii(buf) ? 'latin1' : 'utf8';
      // Bodies with quotes are decoded whole: a quoted string may hold newlines, so only the line
      // scanner can tell where their lines end.
      const window = buf.length > this.windowBytes && buf.indexOf(QUOTE) < 0 ? this.windowBytes : buf.length;
      for (let from = 0; from < buf.length; ) {
        const to = windowEnd(buf, from + window);
        this.parseText(buf.toString(encoding, from, to), out);
        from = to;
      }
    }
    if (out.rejected !== undefined) throw new LineProtocolError(out.rejected);
    return out.points;
  }

  /**
   * Parses whole lines of `s` (the body, or a window of it that ends at a line end) into `out`.
   * `out.lineNumber` is the number of the first line of `s` and is left at the line after it.
   */
  private parseText(s: string, out: ParseOutput): void {
    const { points, precisionNs, defaultNs } = out;
    let rejected = out.rejected;
    let lineNumber = out.lineNumber;
    this.nextSpace = -1;
    const n = s.length;
    let pos = 0;
    let nextNewline = -1;
    let nextQuote = -1;
    while (pos < n) {
      if (nextNewline < pos) {
        nextNewline = s.indexOf('\n', pos);
        if (nextNewline < 0) nextNewline = n;
      }
      if (nextQuote < pos) {
        nextQuote = s.indexOf('"', pos);
        if (nextQuote < 0) nextQuote = n;
      }
      // Without quotes, a line ends at the next newline unless a backslash escapes it. With
      // quotes, the fast path may still assume so (see `outsideQuotesAfter`); anything else, or a
      // fast-path failure, takes InfluxDB's exact line scanner.
      let end = nextNewline;
      let newlinesInside = 0;
      const escapedNewline = nextNewline < n && nextNewline > 0 && s.charCodeAt(nextNewline - 1) === BACKSLASH;
      const hasQuote = nextQuote < nextNewline;
      let start = pos;
      let fast: Point | typeof BAIL = BAIL;
      const lastBefore = this.lastEntry;
      if (!escapedNewline) {
        start = skipWhitespace(s, pos, end);
        if (start >= end || s.charCodeAt(start) === HASH) {
          if (!hasQuote) {
            lineNumber++;
            pos = end + 1;
            continue;
          }
        } else if (this.fastPath && (!hasQuote || start === pos)) {
          fast = this.fastLine(s, start, end, defaultNs, hasQuote);
        }
      }
      if (fast === BAIL && (hasQuote || escapedNewline)) {
        end = lineEnd(s, pos);
        // An open quote can run to the end of the body; InfluxDB drops a final newline then.
        if (end === n && end > pos && s.charCodeAt(end - 1) === NEWLINE) end--;
        for (let k = s.indexOf('\n', pos); k >= 0 && k < end; k = s.indexOf('\n', k + 1)) newlinesInside++;
        start = skipWhitespace(s, pos, end);
        // With the true end known, the fast path is safe again (e.g. a newline inside a string).
        if (this.fastPath && start < end && s.charCodeAt(start) !== HASH) {
          this.lastEntry = lastBefore;
          fast = this.fastLine(s, start, end, defaultNs, false);
        }
      }
      if (fast !== BAIL) {
        points.push(fast);
        this.stats.fastLines++;
      } else if (start < end && s.charCodeAt(start) !== HASH) {
        this.stats.exactLines++;
        const line = s.slice(start, end);
        const exact = parseLineExact(line, precisionNs);
        if (typeof exact === 'string') {
          (rejected ??= []).push({ lineNumber, line, reason: exact });
        } else if (exact !== null) {
          points.push(this.pointFromExact(exact, defaultNs));
        }
      }
      lineNumber += 1 + newlinesInside;
      pos = end + 1;
    }
    out.rejected = rejected;
    out.lineNumber = lineNumber;
  }

  private internSeries(measurement: string, tags: Tag[]): Series {
    const key = seriesKey(measurement, tags);
    let series = this.seriesByKey.get(key);
    if (series === undefined) {
      series = { measurement, tags, key };
      this.seriesByKey.set(key, series);
    }
    return series;
  }

  private internSchema(keys: string[], types: FieldType[], maxKeyBytes: number, plain: boolean): SchemaEntry {
    const sig = schemaSignature(keys, types);
    let entry = this.schemas.get(sig);
    if (entry === undefined) {
      entry = { schema: { keys, types }, plainKeys: plain ? keys : null, maxKeyBytes };
      this.schemas.set(sig, entry);
    }
    return entry;
  }

  private pointFromExact(exact: ExactLine, defaultNs: bigint): Point {
    const series = this.internSeries(exact.measurement, exact.tags);
    const plain = exact.fieldKeys.every((k) => !/[\\,= "]/.test(k));
    const schema = this.internSchema(exact.fieldKeys, exact.fieldTypes, exact.maxFieldKeyBytes, plain).schema;
    return { series, fields: schema, values: exact.values, timestampNs: exact.timestampNs ?? defaultNs };
  }

  /** The cache entry for a raw key text (see `PrefixEntry.raw`), or undefined if it is invalid. */
  private prefixEntry(raw: string): PrefixEntry | undefined {
    const key = scanKeyExact(raw + ' ');
    if (typeof key === 'string' || key.end !== raw.length) return undefined;
    const series = this.internSeries(key.measurement, key.tags);
    const quoteSafe = outsideQuotesAfter(raw + ' ');
    const entry: PrefixEntry = { raw, series, keyBytes: key.keyBytes, schema: null, next: null, generation: -1, quoteSafe };
    this.prefixes.set(raw, entry);
    entry.generation = this.prefixes.generation; // after `set`, which may have cleared the cache
    return entry;
  }

  /**
   * Parses `s[start, end)` if it is an ordinary line, else returns BAIL. `hasQuote` says the line
   * holds a quote and `end` is only the next newline: then the series must be `quoteSafe`, and
   * every string must close before `end`, for `end` to be the true line end.
   */
  private fastLine(s: string, start: number, end: number, defaultNs: bigint, hasQuote: boolean): Point | typeof BAIL {
    const last = this.lastEntry;
    const guessed = last === null || last.generation !== this.prefixes.generation ? null : last.next;
    let entry: PrefixEntry | undefined;
    let sp: number;
    if (guessed !== null && (sp = start + guessed.raw.length) < end && s.charCodeAt(sp) === SPACE && s.slice(start, sp) === guessed.raw) {
      entry = guessed;
    } else {
      // The key ends at the first space not preceded by a backslash (InfluxDB's byte rule: even
      // `\\ ` is an escaped space). Spaces in keys are common (Windows counter names).
      sp = this.nextSpace;
      if (sp < start) sp = s.indexOf(' ', start);
      while (sp >= 0 && sp < end && s.charCodeAt(sp - 1) === BACKSLASH) sp = s.indexOf(' ', sp + 1);
      if (sp < 0) sp = s.length;
      this.nextSpace = sp;
      if (sp >= end) return BAIL;
      const raw = s.slice(start, sp);
      entry = this.prefixes.get(raw) ?? this.prefixEntry(raw);
      if (entry === undefined) return BAIL;
      if (last !== null) last.next = entry;
    }
    this.lastEntry = entry;
    if (hasQuote && !entry.quoteSafe) return BAIL;

    let i = sp + 1;
    let c = s.charCodeAt(i);
    while (i < end && (c === SPACE || c === TAB || c === NUL)) c = s.charCodeAt(++i);

    const guess = entry.schema;
    const guessKeys = guess === null ? null : guess.plainKeys;
    let matching = guessKeys !== null;
    let keys: string[] | null = matching ? null : [];
    const types = this.typeScratch;
    const scanner = this.scanner;
    // Sized for the expected fields: a pushed-to array would reserve 16 slots, and points live
    // until their write is durable, so their size is what young-generation collections copy.
    const values: FieldValue[] = guessKeys === null ? [] : new Array<FieldValue>(guessKeys.length);
    let f = 0;
    for (;;) {
      if (matching) {
        const k = guessKeys![f];
        const keyEnd = k === undefined ? -1 : i + k.length;
        if (keyEnd >= 0 && keyEnd < end && s.charCodeAt(keyEnd) === EQUALS && s.slice(i, keyEnd) === k) {
          i = keyEnd + 1;
        } else {
          matching = false;
          keys = guessKeys!.slice(0, f);
        }
      }
      if (!matching) {
        let j = i;
        for (; j < end; j++) {
          c = s.charCodeAt(j);
          if (c === EQUALS || c === COMMA || c === SPACE || c === BACKSLASH || c === QUOTE) break;
        }
        if (j === i || j >= end || c !== EQUALS) return BAIL;
        keys!.push(s.slice(i, j));
        i = j + 1;
      }
      if (i >= end) return BAIL;
      const type = scanner.value(s, i, end);
      if (type === NO_VALUE) return BAIL;
      if (matching && type !== guess!.schema.types[f]) {
        matching = false;
        keys = guessKeys!.slice(0, f + 1);
      }
      types[f] = type;
      if (type === FieldType.Float) values[f] = scanner.floatValue;
      else values[f] = scanner.otherValue;
      f++;
      i = scanner.valueEnd;
      if (i >= end) break;
      c = s.charCodeAt(i);
      if (c === SPACE) break;
      if (c !== COMMA) return BAIL;
      i++;
    }

    let schema: SchemaEntry;
    if (matching && f === guessKeys!.length) {
      schema = guess!;
    } else {
      if (matching) keys = guessKeys!.slice(0, f);
      let maxKeyBytes = 0;
      for (const k of keys!) maxKeyBytes = Math.max(maxKeyBytes, Buffer.byteLength(k, 'utf8'));
      schema = this.internSchema(keys!, types.slice(0, f), maxKeyBytes, true);
      entry.schema = schema;
    }
    if (entry.keyBytes + 4 + schema.maxKeyBytes > MAX_KEY_BYTES) return BAIL;

    const timestampNs = i >= end ? defaultNs : scanner.timestamp(s, i + 1, end, defaultNs);
    if (timestampNs === NO_TIME) return BAIL;
    if (values.length !== f) values.length = f; // fewer fields than expected: no holes left
    return { series: entry.series, fields: schema.schema, values, timestampNs };
  }
}

const shared = new LineParser();

/** Parses a body with a process-wide `LineParser` (bounded caches). See `LineParser.parse`. */
export function parseLines(body: string | Uint8Array, options: ParseOptions): Point[] {
  return shared.parse(body, options);
}

