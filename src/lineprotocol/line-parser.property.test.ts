import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TIME_NS, MIN_TIME_NS } from '../core/time.js';
import { formatPoint, formatPoints } from './format-point.js';
import { LineParser } from './line-parser.js';
import { LineProtocolError } from './line-protocol-error.js';
import { makeSeries } from './make-series.js';
import { FieldType, PRECISION_NS, type FieldValue, type Point, type Precision, type Tag } from './point.js';

/** `LP_FUZZ_SCALE=10 npx vitest run src/lineprotocol` runs every property ten times longer. */
const SCALE = Number(process.env['LP_FUZZ_SCALE'] ?? 1);
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));

const opts = (precision: Precision = 'ns') => ({ precision, defaultTimeNs: 1_000_000_000n });

// Characters chosen to hit every escaping rule, plus multi-byte text.
const nameChar = fc.constantFrom('a', 'b', 'Z', '0', '9', '_', '-', '.', ',', ' ', '=', '"', '\\', '#', '\t', "'", 'é', '✓', '😀');
const name = fc.string({ unit: nameChar, minLength: 1, maxLength: 8 });
// Names line protocol cannot carry (see escape.ts) are left out.
const endsOk = (s: string): boolean => !s.endsWith('\\') && !/\\[,= "]/.test(s);
const measurementArb = name.filter((s) => endsOk(s) && !/^[#\t]/.test(s));
const tagKeyArb = name.filter((s) => endsOk(s) && !['time', '_field', '_measurement'].includes(s));
const tagValueArb = name.filter(endsOk);
const fieldKeyArb = name.filter(endsOk);

const stringValue = fc.string({ unit: fc.constantFrom('a', ' ', ',', '=', '"', '\\', '\n', '\r', '\t', 'ü', '😀'), maxLength: 12 });
const fieldArb: fc.Arbitrary<[FieldType, FieldValue]> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => [FieldType.Float, v] as [FieldType, FieldValue]),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => [FieldType.Integer, v] as [FieldType, FieldValue]),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => [FieldType.Unsigned, v] as [FieldType, FieldValue]),
  stringValue.map((v) => [FieldType.String, v] as [FieldType, FieldValue]),
  fc.boolean().map((v) => [FieldType.Boolean, v] as [FieldType, FieldValue]),
);

function pointArb(precision: Precision): fc.Arbitrary<Point> {
  const mult = PRECISION_NS[precision];
  return fc
    .record({
      measurement: measurementArb,
      tags: fc.uniqueArray(fc.tuple(tagKeyArb, tagValueArb), { selector: (t) => t[0], maxLength: 4 }),
      // Whitespace before the first field key is skipped, so it cannot start with a tab.
      fields: fc.array(fc.tuple(fieldKeyArb, fieldArb), { minLength: 1, maxLength: 4 }).filter((fs) => !fs[0]![0].startsWith('\t')),
      ts: fc.bigInt({ min: MIN_TIME_NS / mult, max: MAX_TIME_NS / mult }),
    })
    .map(({ measurement, tags, fields, ts }) => ({
      series: makeSeries(measurement, tags as Tag[]),
      fields: { keys: fields.map((f) => f[0]), types: fields.map((f) => f[1][0]) },
      values: fields.map((f) => f[1][1]),
      timestampNs: ts * mult,
    }));
}

/** Everything a point means, as plain data (series identity aside). */
const meaning = (p: Point) => ({
  key: p.series.key,
  measurement: p.series.measurement,
  tags: p.series.tags,
  keys: p.fields.keys,
  types: p.fields.types,
  values: p.values,
  timestampNs: p.timestampNs,
});

/** The outcome of parsing: the points' meaning, or the error's message and line numbers. */
function outcome(parser: LineParser, body: string | Uint8Array) {
  try {
    return { points: parser.parse(body, opts()).map(meaning) };
  } catch (e) {
    if (!(e instanceof LineProtocolError)) throw e;
    return { error: e.message, lines: e.details };
  }
}

describe('parse(format(p)) = p', () => {
  it.each<Precision>(['ns', 'us', 'ms', 's'])('for arbitrary points at precision %s', (precision) => {
    const parser = new LineParser();
    fc.assert(
      fc.property(pointArb(precision), (p) => {
        const line = formatPoint(p, precision);
        const parsed = parser.parse(line, opts(precision));
        expect(parsed.map(meaning)).toEqual([meaning(p)]);
      }),
      { numRuns: runs(precision === 'ns' ? 3000 : 500) },
    );
  });

  it('for batches of points, with the same Series for equal keys', () => {
    const parser = new LineParser();
    fc.assert(
      fc.property(fc.array(pointArb('ns'), { minLength: 1, maxLength: 20 }), (points) => {
        const parsed = parser.parse(formatPoints(points), opts());
        expect(parsed.map(meaning)).toEqual(points.map(meaning));
        for (const a of parsed) for (const b of parsed) expect(a.series === b.series).toBe(a.series.key === b.series.key);
      }),
      { numRuns: runs(300) },
    );
  });
});

const valid = fc.array(pointArb('ns'), { minLength: 1, maxLength: 4 }).map((ps) => formatPoints(ps));
const specials = fc.constantFrom(
  ...[' ', ',', '=', '"', '\\', '\n', '\r', '\t', '#', '-', '+', '.', 'e', 'E', 'i', 'u', 't', 'T', 'f', 'F', 'N', '0', '9'],
  ...['\u0000', 'é', '😀', 'true', 'False', '1e5', '"x"', '\\"', '\\ ', 'time', '_field'],
);
type Edit = { at: number; del: number; ins: string };
const edits = fc.array(fc.record({ at: fc.nat(), del: fc.nat({ max: 3 }), ins: fc.string({ unit: specials, maxLength: 3 }) }), {
  minLength: 1,
  maxLength: 4,
});
function mutate(text: string, list: Edit[]): string {
  for (const { at, del, ins } of list) {
    const i = at % (text.length + 1);
    text = text.slice(0, i) + ins + text.slice(i + del);
  }
  return text;
}

describe('the fast path agrees with the exact InfluxDB parser', () => {
  const fast = new LineParser();
  const exact = new LineParser({ fastPath: false });

  it('on mutations of valid lines', () => {
    fc.assert(
      fc.property(valid, edits, (body, list) => {
        const text = mutate(body, list);
        expect(outcome(fast, text)).toEqual(outcome(exact, text));
      }),
      { numRuns: runs(4000) },
    );
  });

  it('on random text made of significant characters', () => {
    const body = fc.string({ unit: fc.oneof(specials, fc.constantFrom('m', 'v', '=1', ' 1', 'v=1', 'm,t=a ')), maxLength: 40 });
    fc.assert(
      fc.property(body, (text) => {
        expect(outcome(fast, text)).toEqual(outcome(exact, text));
      }),
      { numRuns: runs(4000) },
    );
  });

  it('on mutations of valid lines given as UTF-8 bytes, decoded in small windows', () => {
    const windowed = new LineParser({ windowBytes: 16 });
    fc.assert(
      fc.property(valid, edits, (body, list) => {
        // Through bytes and back: a mutation can split a surrogate pair, which UTF-8 cannot carry.
        const bytes = Buffer.from(mutate(body, list));
        expect(outcome(windowed, bytes)).toEqual(outcome(exact, bytes.toString('utf8')));
      }),
      { numRuns: runs(2000) },
    );
  });

  it('on the same lines seen again (cached series and schemas)', () => {
    fc.assert(
      fc.property(valid, edits, (body, list) => {
        const text = mutate(body, list);
        const twice = `${body}${text}\n${body}${text}`;
        expect(outcome(fast, twice)).toEqual(outcome(exact, twice));
      }),
      { numRuns: runs(1000) },
    );
  });
});

describe('fuzz: only ever a LineProtocolError', () => {
  const parser = new LineParser();
  const check = (body: string | Uint8Array): void => {
    try {
      const points = parser.parse(body, opts());
      for (const p of points) expect(p.fields.keys.length).toBeGreaterThan(0);
    } catch (e) {
      expect(e).toBeInstanceOf(LineProtocolError);
      expect((e as LineProtocolError).message.startsWith('unable to parse ')).toBe(true);
    }
  };

  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), { numRuns: runs(3000) });
  });

  it('on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check), { numRuns: runs(3000) });
  });

  it('on mutations of valid lines', () => {
    fc.assert(fc.property(valid, edits, (body, list) => check(mutate(body, list))), { numRuns: runs(3000) });
  });

  it('on large pathological bodies, in linear time', () => {
    // Each would be quadratic if a scan restarted from every line.
    check('x'.repeat(200_000));
    check('x\n'.repeat(100_000));
    check(`m s="${'a\n'.repeat(100_000)}`);
    check('m,t=a v=1,'.repeat(20_000));
    check('\\'.repeat(100_001));
    check(`${'"'.repeat(50_000)}\n`.repeat(4));
  });
});

describe('byte bodies parsed in windows agree with the whole body parsed at once', () => {
  // Tiny windows put a seam after almost every line: line numbers, escaped newlines, comments,
  // multi-byte and invalid UTF-8 must all come out as from one decode of the whole body.
  const whole = new LineParser({ windowBytes: Number.MAX_SAFE_INTEGER });
  const windowSize = fc.integer({ min: 1, max: 48 });
  const same = (bytes: Uint8Array, windowBytes: number): void => {
    expect(outcome(new LineParser({ windowBytes }), bytes)).toEqual(outcome(whole, bytes));
  };
  const lineBits = fc.constantFrom('m,t=a v=1 1\n', 'm,t=é v=2i\n', 'm\\\n,t=a v=1\n', 'm v=1\\\n', '# c\n', '\n', ' \t\n', 'bad\n', 'm v=1 x\n');

  it('on valid and mutated bodies (no quotes: the windowed case)', () => {
    fc.assert(
      fc.property(valid, edits, windowSize, (body, list, w) => {
        same(Buffer.from(mutate(body, list).replaceAll('"', '')), w);
      }),
      { numRuns: runs(1500) },
    );
  });

  it('on lines of escaped newlines, comments, blanks and errors', () => {
    fc.assert(
      fc.property(fc.array(lineBits, { maxLength: 30 }), windowSize, (lines, w) => {
        same(Buffer.from(lines.join('')), w);
      }),
      { numRuns: runs(1500) },
    );
  });

  it('on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }).map((b) => b.map((x) => (x === 34 ? 10 : x))), windowSize, (bytes, w) => {
        same(bytes, w);
      }),
      { numRuns: runs(1500) },
    );
  });

  it('parses a large body window by window with the right line numbers', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `cpu,host=h${i % 100} v=${i}.5 ${i + 1}`);
    lines[12_345] = 'cpu,host=h45 v=oops 12346';
    const body = Buffer.from(`${lines.join('\n')}\n`);
    expect(body.length).toBeGreaterThan(4 * 64 * 1024);
    const parser = new LineParser();
    expect(() => parser.parse(body, opts())).toThrow(LineProtocolError);
    expect(outcome(parser, body)).toMatchObject({ lines: { lines: [12_346] } });
    lines[12_345] = 'cpu,host=h45 v=12345.5 12346';
    const points = parser.parse(Buffer.from(`${lines.join('\n')}\n`), opts());
    expect(points.map((p) => p.timestampNs)).toEqual(lines.map((_, i) => BigInt(i + 1)));
    expect(points[19_999]!.values).toEqual([19_999.5]);
  });
});
