import { describe, expect, it } from 'vitest';
import { SluiceError } from '../core/errors.js';
import { LineParser, parseLines } from './line-parser.js';
import { LineProtocolError } from './line-protocol-error.js';
import { FieldType, type FieldValue, type Point, type Precision } from './point.js';

const NOW = 1_700_000_000_123_456_789n;
const parse = (body: string | Uint8Array, precision: Precision = 'ns'): Point[] =>
  new LineParser().parse(body, { precision, defaultTimeNs: NOW });

/** A point as plain data: [measurement, tags, [key, type, value][], timestamp]. */
function summary(p: Point): [string, [string, string][], [string, FieldType, FieldValue][], bigint] {
  return [
    p.series.measurement,
    p.series.tags.map(([k, v]) => [k, v]),
    p.fields.keys.map((k, i) => [k, p.fields.types[i]!, p.values[i]!]),
    p.timestampNs,
  ];
}

function reasonOf(line: string, precision: Precision = 'ns'): string {
  try {
    new LineParser().parse(line, { precision, defaultTimeNs: NOW });
  } catch (e) {
    expect(e).toBeInstanceOf(LineProtocolError);
    const rejected = (e as LineProtocolError).rejected;
    expect(rejected).toHaveLength(1);
    return rejected[0]!.reason;
  }
  throw new Error(`accepted: ${JSON.stringify(line)}`);
}

const F = FieldType.Float;
const I = FieldType.Integer;
const U = FieldType.Unsigned;
const S = FieldType.String;
const B = FieldType.Boolean;

describe('accepted lines', () => {
  it.each<[string, string, [string, string][], [string, FieldType, FieldValue][], bigint]>([
    ['cpu v=1', 'cpu', [], [['v', F, 1]], NOW],
    ['cpu,host=a v=1.5 1700000000000000000', 'cpu', [['host', 'a']], [['v', F, 1.5]], 1700000000000000000n],
    ['cpu,b=2,a=1,c=3 v=1 5', 'cpu', [['a', '1'], ['b', '2'], ['c', '3']], [['v', F, 1]], 5n],
    // Numbers
    ['m v=1i', 'm', [], [['v', I, 1n]], NOW],
    ['m v=-42i', 'm', [], [['v', I, -42n]], NOW],
    ['m v=9223372036854775807i', 'm', [], [['v', I, 9223372036854775807n]], NOW],
    ['m v=-9223372036854775808i', 'm', [], [['v', I, -9223372036854775808n]], NOW],
    ['m v=0u', 'm', [], [['v', U, 0n]], NOW],
    ['m v=18446744073709551615u', 'm', [], [['v', U, 18446744073709551615n]], NOW],
    ['m v=1.', 'm', [], [['v', F, 1]], NOW],
    ['m v=.5', 'm', [], [['v', F, 0.5]], NOW],
    ['m v=-.5', 'm', [], [['v', F, -0.5]], NOW],
    ['m v=1e5', 'm', [], [['v', F, 1e5]], NOW],
    ['m v=1E+5', 'm', [], [['v', F, 1e5]], NOW],
    ['m v=-1.2e-3', 'm', [], [['v', F, -1.2e-3]], NOW],
    ['m v=1.e2', 'm', [], [['v', F, 100]], NOW],
    ['m v=-0', 'm', [], [['v', F, -0]], NOW],
    ['m v=0.1', 'm', [], [['v', F, 0.1]], NOW],
    ['m v=123456789012345678901234567890', 'm', [], [['v', F, 1.2345678901234568e29]], NOW],
    ['m v=1e-400', 'm', [], [['v', F, 0]], NOW],
    ['m v=0000000000000000000000001i', 'm', [], [['v', I, 1n]], NOW],
    // Booleans, every spelling
    ['m a=t,b=T,c=true,d=True,e=TRUE', 'm', [], [['a', B, true], ['b', B, true], ['c', B, true], ['d', B, true], ['e', B, true]], NOW],
    ['m a=f,b=F,c=false,d=False,e=FALSE', 'm', [], [['a', B, false], ['b', B, false], ['c', B, false], ['d', B, false], ['e', B, false]], NOW],
    // Strings
    ['m s="hello world, a=b"', 'm', [], [['s', S, 'hello world, a=b']], NOW],
    ['m s=""', 'm', [], [['s', S, '']], NOW],
    ['m s="say \\"hi\\""', 'm', [], [['s', S, 'say "hi"']], NOW],
    ['m s="back\\\\slash"', 'm', [], [['s', S, 'back\\slash']], NOW],
    ['m s="kept \\n and \\t"', 'm', [], [['s', S, 'kept \\n and \\t']], NOW],
    ['m s="\\\\\\""', 'm', [], [['s', S, '\\"']], NOW],
    ['m s="two\nlines" 7', 'm', [], [['s', S, 'two\nlines']], 7n],
    ['m s="ünïcødé ✓ 😀"', 'm', [], [['s', S, 'ünïcødé ✓ 😀']], NOW],
    // InfluxDB takes a string value up to the next comma and strips its first and last byte.
    ['m s="a"b', 'm', [], [['s', S, 'a"']], NOW],
    // Mixed, duplicate field keys kept in order, a field named time kept (storage strips it)
    ['m a=1,b=2i,c="x",d=t,a=3 9', 'm', [], [['a', F, 1], ['b', I, 2n], ['c', S, 'x'], ['d', B, true], ['a', F, 3]], 9n],
    ['m time=1,_measurement=2', 'm', [], [['time', F, 1], ['_measurement', F, 2]], NOW],
    // Escapes in names
    ['c\\,p\\ u v=1', 'c,p u', [], [['v', F, 1]], NOW],
    ['c\\=pu v=1', 'c\\=pu', [], [['v', F, 1]], NOW],
    ['c=pu v=1', 'c=pu', [], [['v', F, 1]], NOW],
    ['m,t\\ k\\,\\==v\\ a\\,l\\=ue v=1', 'm', [['t k,=', 'v a,l=ue']], [['v', F, 1]], NOW],
    ['m,t=a\\\\b v=1', 'm', [['t', 'a\\\\b']], [['v', F, 1]], NOW],
    ['m,t=a\\nb v=1', 'm', [['t', 'a\\nb']], [['v', F, 1]], NOW],
    ['m f\\ k\\,e\\=y\\"=1', 'm', [], [['f k,e=y"', F, 1]], NOW],
    ['m f"k=1', 'm', [], [['f"k', F, 1]], NOW],
    ['m,t="q" v=1', 'm', [['t', '"q"']], [['v', F, 1]], NOW],
    ['m,a==b v=1', 'm', [['a', '=b']], [['v', F, 1]], NOW],
    ['m,t=\\\\ x v=1', 'm', [['t', '\\ x']], [['v', F, 1]], NOW],
    ['m,t=x\\\\  v=1', 'm', [['t', 'x\\ ']], [['v', F, 1]], NOW],
    ['m,k\\\\=y=x v=1', 'm', [['k\\=y', 'x']], [['v', F, 1]], NOW],
    ['m,\\ =x v=1', 'm', [[' ', 'x']], [['v', F, 1]], NOW],
    ['"m","t"="v" v=1', '"m"', [['"t"', '"v"']], [['v', F, 1]], NOW],
    ['m s="{a\\"{\\,}\\" b}"', 'm', [], [['s', S, '{a"{\\,}" b}']], NOW],
    ['_m,_t=_v _f=1', '_m', [['_t', '_v']], [['_f', F, 1]], NOW],
    ['wätter,ört=zürich temp=1', 'wätter', [['ört', 'zürich']], [['temp', F, 1]], NOW],
    // Whitespace
    ['   \tcpu v=1', 'cpu', [], [['v', F, 1]], NOW],
    ['cpu   v=1   12   ', 'cpu', [], [['v', F, 1]], 12n],
    ['cpu v=1 \t12', 'cpu', [], [['v', F, 1]], 12n],
    ['cpu v=1    ', 'cpu', [], [['v', F, 1]], NOW],
    ['cpu v=1 -5', 'cpu', [], [['v', F, 1]], -5n],
    ['cpu v=1 0000000000000000000000012', 'cpu', [], [['v', F, 1]], 12n],
    ['cpu v=1 9223372036854775806', 'cpu', [], [['v', F, 1]], 9223372036854775806n],
    ['cpu v=1 -9223372036854775806', 'cpu', [], [['v', F, 1]], -9223372036854775806n],
  ])('%j', (line, measurement, tags, fields, ts) => {
    for (const fastPath of [true, false]) {
      const points = new LineParser({ fastPath }).parse(line, { precision: 'ns', defaultTimeNs: NOW });
      expect(points).toHaveLength(1);
      expect(summary(points[0]!)).toEqual([measurement, tags, fields, ts]);
    }
  });

  it('builds the canonical escaped series key with tags sorted by key', () => {
    const [p] = parse('c\\ p\\,u,zone=z\\ 1,az=a\\=b,Host=h v=1');
    expect(p!.series.key).toBe('c\\ p\\,u,Host=h,az=a\\=b,zone=z\\ 1');
  });

  it('sorts tag keys by UTF-8 bytes, not UTF-16 units', () => {
    const [p] = parse('m,\u{ff5e}=a,\u{1f600}=b,a=c v=1');
    expect(p!.series.tags.map((t) => t[0])).toEqual(['a', '\u{ff5e}', '\u{1f600}']);
  });
});

describe('rejected lines', () => {
  it.each<[string, string]>([
    ['cpu', 'missing fields'],
    ['cpu,host=a', 'missing fields'],
    [',cpu v=1', 'missing measurement'],
    ['cpu, v=1', 'missing tag key'],
    ['cpu,=a v=1', 'missing tag key'],
    ['cpu,', 'missing tag key'],
    ['cpu,host v=1', 'missing tag value'],
    ['cpu,host= v=1', 'missing tag value'],
    ['cpu,host=a, v=1', 'missing tag key'],
    ['cpu,host=a=b v=1', 'invalid tag format'],
    ['cpu,host=a,host=b v=1', 'duplicate tags'],
    ['cpu,b=1,a=2,b=3 v=1', 'duplicate tags'],
    ['cpu,time=1 v=1', 'cannot use reserved tag key "time"'],
    ['cpu,_field=x v=1', 'cannot use reserved tag key "_field"'],
    ['cpu,a=1,_measurement=x v=1', 'cannot use reserved tag key "_measurement"'],
    ['cpu,\u0000=x v=1', 'cannot use reserved tag key "\\x00"'],
    ['cpu v', 'invalid field format'],
    ['cpu ', 'invalid field format'],
    ['cpu v=1,', 'invalid field format'],
    ['cpu v=1,w', 'invalid field format'],
    ['cpu v=', 'missing field value'],
    ['cpu v= 1', 'missing field value'],
    ['cpu v=1,w=', 'missing field value'],
    ['cpu =1', 'missing field key'],
    ['cpu v=1,=2', 'missing field key'],
    ['cpu v="abc', 'unbalanced quotes'],
    ['cpu v="abc\\"', 'unbalanced quotes'],
    ['cpu v=1.2.3', 'invalid number'],
    ['cpu v=-', 'invalid number'],
    ['cpu v=-.', 'invalid number'],
    ['cpu v=.', 'invalid number'],
    ['cpu v=1-2', 'invalid number'],
    ['cpu v=1_000', 'invalid number'],
    ['cpu v=0x10', 'invalid number'],
    ['cpu v=1.5i', 'invalid number'],
    ['cpu v=9i10', 'invalid number'],
    ['cpu v=1e3i', 'invalid number'],
    ['cpu v=1ii', 'invalid number'],
    ['cpu v=-1u', 'invalid number'],
    ['cpu v=NaN', 'invalid number'],
    ['cpu v=nan', 'invalid number'],
    ['cpu v=-Inf', 'invalid number'],
    ['cpu v=Inf', 'invalid boolean'],
    ['cpu v=inf', 'invalid boolean'],
    ['cpu v=+1', 'invalid boolean'],
    ['cpu v=truth', 'invalid boolean'],
    ['cpu v=tRUE', 'invalid boolean'],
    ['cpu v=fals', 'invalid boolean'],
    ['cpu v=yes', 'invalid boolean'],
    ['cpu v=1e', 'invalid float'],
    ['cpu v=1e400', 'invalid float'],
    ['cpu v=-1e400', 'invalid float'],
    [
      'cpu v=9223372036854775808i',
      'unable to parse integer 9223372036854775808: strconv.ParseInt: parsing "9223372036854775808": value out of range',
    ],
    [
      'cpu v=-9223372036854775809i',
      'unable to parse integer -9223372036854775809: strconv.ParseInt: parsing "-9223372036854775809": value out of range',
    ],
    [
      'cpu v=18446744073709551616u',
      'unable to parse unsigned 18446744073709551616: strconv.ParseUint: parsing "18446744073709551616": value out of range',
    ],
    ['cpu v=1 abc', 'bad timestamp'],
    ['cpu v=1 1.5', 'bad timestamp'],
    ['cpu v=1 +5', 'bad timestamp'],
    ['cpu v=1 --5', 'bad timestamp'],
    ['cpu v=1 w=2', 'bad timestamp'],
    ['cpu v=1 123 456', 'point is invalid'],
    ['cpu v=1 123 \t', 'point is invalid'],
    ['cpu v=1 123\t', 'bad timestamp'],
    ['cpu v=1 -', 'strconv.ParseInt: parsing "-": invalid syntax'],
    ['cpu v=1 99999999999999999999', 'strconv.ParseInt: parsing "99999999999999999999": value out of range'],
    ['cpu v=1 9223372036854775807', 'time outside range -9223372036854775806 - 9223372036854775806'],
    ['cpu v=1 -9223372036854775807', 'time outside range -9223372036854775806 - 9223372036854775806'],
    // CRLF bodies fail as they fail in InfluxDB: the \r stays part of the last token.
    ['cpu v=1 1\r', 'bad timestamp'],
    ['cpu v=1\r', 'invalid number'],
    ['cpu v=t\r', 'invalid boolean'],
    ['cpu v=1\t2', 'invalid number'],
    // A backslash pair before `=` in a field key: the field scanner and the key reader disagree.
    ['cpu a\\\\=1', 'invalid value: field-key=a\\\\=1'],
  ])('%j → %s', (line, reason) => {
    expect(reasonOf(line)).toBe(reason);
  });

  it.each<[string, Precision, string]>([
    ['cpu v=1 9223372036', 's', ''],
    ['cpu v=1 9223372037', 's', 'time outside range -9223372036854775806 - 9223372036854775806'],
    ['cpu v=1 9223372036854775', 'ms', 'time outside range -9223372036854775806 - 9223372036854775806'],
    ['cpu v=1 -9223372036854776', 'us', 'time outside range -9223372036854775806 - 9223372036854775806'],
  ])('%j at precision %s', (line, precision, reason) => {
    if (reason === '') expect(parse(line, precision)).toHaveLength(1);
    else expect(reasonOf(line, precision)).toBe(reason);
  });

  it('limits the series key to 65535 bytes, counting UTF-8 bytes', () => {
    expect(reasonOf(`${'a'.repeat(65536)} v=1`)).toBe('max key length exceeded: 65536 > 65535');
    expect(parse(`${'a'.repeat(65530)} v=1`)).toHaveLength(1);
    // measurement + 4 + field key
    expect(reasonOf(`${'a'.repeat(65530)} abcd=1`)).toBe('max key length exceeded: 65538 > 65535');
    expect(reasonOf(`m,t=${'é'.repeat(32766)} v=1`)).toBe('max key length exceeded: 65536 > 65535');
  });
});

describe('batches', () => {
  it('skips blank lines, comments and leading whitespace', () => {
    const points = parse('# header\n\ncpu v=1 1\n   \n\t# indented comment\n  cpu v=2 2\n\n');
    expect(points.map((p) => p.values[0])).toEqual([1, 2]);
  });

  it('parses a body without a trailing newline and with a NUL before a line', () => {
    expect(parse('a v=1\n\u0000b v=2').map((p) => p.series.measurement)).toEqual(['a', 'b']);
  });

  it('rejects the whole batch with InfluxDB\'s message, one clause per bad line', () => {
    let error: unknown;
    try {
      parse('cpu v=1 1\ncpu v=oops 2\n# fine\ncpu,time=x v=1\ncpu v=3 3\n');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LineProtocolError);
    expect(error).toBeInstanceOf(SluiceError);
    const e = error as LineProtocolError;
    expect(e.code).toBe('invalid');
    expect(e.message).toBe(
      "unable to parse 'cpu v=oops 2': invalid boolean\nunable to parse 'cpu,time=x v=1': cannot use reserved tag key \"time\"",
    );
    expect(e.details).toEqual({ lines: [2, 4] });
  });

  it('does not let a quote in a tag value swallow the next line', () => {
    const points = parse('m,t="a x=1 1\nm,t=a z=2 2');
    expect(points.map(summary)).toEqual([
      ['m', [['t', '"a']], [['x', F, 1]], 1n],
      ['m', [['t', 'a']], [['z', F, 2]], 2n],
    ]);
  });

  it('rejects a trailing backslash after the timestamp', () => {
    expect(() => parse('m v=1 0\\')).toThrow("unable to parse 'm v=1 0\\': bad timestamp");
  });

  it('quotes the line without its leading whitespace', () => {
    expect(() => parse('   cpu v=x')).toThrow("unable to parse 'cpu v=x': invalid boolean");
  });

  it('fails a CRLF body on every line, as InfluxDB does', () => {
    expect(() => parse('cpu v=1 1\r\ncpu v=2 2\r\n')).toThrow(
      "unable to parse 'cpu v=1 1\r': bad timestamp\nunable to parse 'cpu v=2 2\r': bad timestamp",
    );
  });

  it('keeps a newline inside a quoted string in its line and counts physical lines', () => {
    try {
      parse('m s="one\ntwo\nthree" 1\nm v=bad 2\n');
      expect.unreachable();
    } catch (e) {
      expect((e as LineProtocolError).details).toEqual({ lines: [4] });
    }
    const [p] = parse('m s="one\ntwo",v=1 1\n');
    expect(p!.values).toEqual(['one\ntwo', 1]);
  });

  it('does not end a line at an escaped newline', () => {
    // A backslash escapes the newline, so "b" continues the tag value of the first line.
    const [p] = parse('m,t=a\\\nb v=1\n');
    expect(p!.series.tags).toEqual([['t', 'a\\\nb']]);
  });

  it('reports a broken quote that swallows the rest of the body as one line', () => {
    expect(() => parse('m s="open 1\nm v=1 2\n')).toThrow("unable to parse 'm s=\"open 1\nm v=1 2': unbalanced quotes");
  });

  it('gives points without a timestamp the default time truncated to the precision', () => {
    const body = 'm v=1';
    expect(parse(body, 'ns')[0]!.timestampNs).toBe(NOW);
    expect(parse(body, 'us')[0]!.timestampNs).toBe(1_700_000_000_123_456_000n);
    expect(parse(body, 'ms')[0]!.timestampNs).toBe(1_700_000_000_123_000_000n);
    expect(parse(body, 's')[0]!.timestampNs).toBe(1_700_000_000_000_000_000n);
  });

  it.each<[Precision, bigint]>([
    ['ns', 1_700_000_000n],
    ['us', 1_700_000_000_000n],
    ['ms', 1_700_000_000_000_000n],
    ['s', 1_700_000_000_000_000_000n],
  ])('scales timestamps at precision %s', (precision, ns) => {
    expect(parse('m v=1 1700000000\nm v=2 1700000000', precision).map((p) => p.timestampNs)).toEqual([ns, ns]);
  });

  it('accepts UTF-8 bytes', () => {
    const [p] = parse(new TextEncoder().encode('wätter,ort=zürich s="✓" 1\n'));
    expect(summary(p!)).toEqual(['wätter', [['ort', 'zürich']], [['s', S, '✓']], 1n]);
    const view = new TextEncoder().encode('xxm v=1 1').subarray(2);
    expect(parse(view)[0]!.series.measurement).toBe('m');
  });

  it('drops a point whose only field has an empty key, as InfluxDB\'s field reader skips it', () => {
    expect(parse('cpu \t=1')).toEqual([]);
    expect(parse('cpu \t=1,v=2')[0]!.fields.keys).toEqual(['v']);
  });

  it('returns no points for an empty body', () => {
    expect(parse('')).toEqual([]);
    expect(parse('\n\n# only a comment\n')).toEqual([]);
  });
});

describe('interning', () => {
  it('shares one Series per series key, whatever the tag order and escaping', () => {
    const parser = new LineParser();
    const points = parser.parse('m,a=1,b=2 v=1 1\nm,b=2,a=1 v=2 2\nm,a=1,b=2 v=3 3', {
      precision: 'ns',
      defaultTimeNs: 0n,
    });
    expect(new Set(points.map((p) => p.series)).size).toBe(1);
    const again = parser.parse('m,b=2,a=1 v=5 5', { precision: 'ns', defaultTimeNs: 0n });
    expect(again[0]!.series).toBe(points[0]!.series);
  });

  it('shares one FieldSchema per key and type sequence', () => {
    const points = parse('a v=1,w=2i\nb v=3,w=4i\nc v=5,w=6\nd v=7,w=8i,x=t\ne v=9,w=1i');
    const [a, b, c, d, e] = points.map((p) => p.fields);
    expect(b).toBe(a);
    expect(e).toBe(a);
    expect(c).not.toBe(a);
    expect(c!.types).toEqual([F, F]);
    expect(d!.keys).toEqual(['v', 'w', 'x']);
  });

  it('recovers when a series changes its fields from one line to the next', () => {
    const points = parse('m a=1,b=2 1\nm a=1 2\nm b=1,a=2 3\nm a=1,b=2,c=3 4\nm a="s",b=2 5\nm a=1,b=2 6');
    expect(points.map((p) => p.fields.keys.join())).toEqual(['a,b', 'a', 'b,a', 'a,b,c', 'a,b', 'a,b']);
    expect(points[4]!.fields.types).toEqual([S, F]);
    expect(points[5]!.fields).toBe(points[0]!.fields);
  });

  it('keeps working when its caches overflow', () => {
    const parser = new LineParser({ maxSeries: 3, maxSchemas: 2 });
    let body = '';
    for (let i = 0; i < 50; i++) body += `m,h=${i % 7} f${i % 5}=${i} ${i}\n`;
    const points = parser.parse(body, { precision: 'ns', defaultTimeNs: 0n });
    expect(points).toHaveLength(50);
    points.forEach((p, i) => {
      expect(p.series.key).toBe(`m,h=${i % 7}`);
      expect(p.fields.keys).toEqual([`f${i % 5}`]);
      expect(p.values).toEqual([i]);
    });
  });

  it('parseLines uses a shared parser', () => {
    const opts = { precision: 'ns' as const, defaultTimeNs: 0n };
    expect(parseLines('m,x=1 v=1', opts)[0]!.series).toBe(parseLines('m,x=1 v=2', opts)[0]!.series);
  });
});

describe('fast path coverage', () => {
  it('parses ordinary lines without the exact parser', () => {
    const parser = new LineParser();
    const body = [
      'cpu,host=server01,region=us-west usage_idle=98.5,usage_user=1.25 1700000000000000000',
      'cpu,host=server02,region=us-west usage_idle=97,usage_user=2.5e-1 1700000000000000000',
      'mem,host=server01 used=123456789i,free=42u,ok=true,status="all good, \\"really\\"" 1700000000000000000',
      'disk,path=/var free=1.5,ro=f',
      'net,iface=eth0 rx=-12i,tx=0.000001 1700000000000000010',
      'cpu,host=server01,region=us-west usage_idle=98.5,usage_user=1.25 1700000000000000001',
      'cpu,region=us-west,host=server01 usage_idle=98.5,usage_user=1.25 1700000000000000001',
      'sensor temp=21.5,label="multi\nline" -17',
      'win_cpu,instance=_Total,objectname=Processor\\ Information Percent_Idle_Time=98.5 1700000000000000000',
      'c\\ pu,t\\,ag=a\\=b v=1',
    ].join('\n');
    const points = parser.parse(body, { precision: 'ns', defaultTimeNs: 0n });
    expect(parser.stats).toEqual({ fastLines: 10, exactLines: 0 });
    expect(points[8]!.series.tags).toEqual([
      ['instance', '_Total'],
      ['objectname', 'Processor Information'],
    ]);
    expect(points[9]!.series.key).toBe('c\\ pu,t\\,ag=a\\=b');
  });

  it('leaves escaped field keys and bad lines to the exact parser', () => {
    const parser = new LineParser();
    parser.parse('m f\\=k=1\nm f\\ k=1\nm,t=a v=1', { precision: 'ns', defaultTimeNs: 0n });
    expect(parser.stats).toEqual({ fastLines: 1, exactLines: 2 });
    expect(() => parser.parse('m v=1\nm v=x', { precision: 'ns', defaultTimeNs: 0n })).toThrow(LineProtocolError);
    expect(parser.stats).toEqual({ fastLines: 2, exactLines: 3 });
  });
});
