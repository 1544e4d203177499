import { describe, expect, it } from 'vitest';
import { formatPoint, formatPoints } from './format-point.js';
import { makeSeries } from './make-series.js';
import { FieldType, type FieldValue, type Point, type Precision, type Tag } from './point.js';

function point(measurement: string, tags: Tag[], fields: [string, FieldType, FieldValue][], timestampNs: bigint): Point {
  return {
    series: makeSeries(measurement, tags),
    fields: { keys: fields.map((f) => f[0]), types: fields.map((f) => f[1]) },
    values: fields.map((f) => f[2]),
    timestampNs,
  };
}

describe('formatPoint', () => {
  it.each<[Point, string]>([
    [point('cpu', [], [['v', FieldType.Float, 1]], 5n), 'cpu v=1 5'],
    [point('cpu', [['region', 'eu'], ['host', 'a']], [['v', FieldType.Float, 1.5]], 5n), 'cpu,host=a,region=eu v=1.5 5'],
    [
      point('m', [], [['i', FieldType.Integer, -9223372036854775808n], ['u', FieldType.Unsigned, 18446744073709551615n]], 0n),
      'm i=-9223372036854775808i,u=18446744073709551615u 0',
    ],
    [point('m', [], [['b', FieldType.Boolean, true], ['c', FieldType.Boolean, false]], -1n), 'm b=true,c=false -1'],
    [point('m', [], [['s', FieldType.String, 'say "hi" \\ o/\nbye']], 1n), 'm s="say \\"hi\\" \\\\ o/\nbye" 1'],
    [point('m', [], [['f', FieldType.Float, -0]], 1n), 'm f=-0 1'],
    [point('m', [], [['f', FieldType.Float, 1e21], ['g', FieldType.Float, 5e-324]], 1n), 'm f=1e+21,g=5e-324 1'],
    [
      point('c p,u', [['k e=y,', 'v a=l,']], [['f k=e,y"', FieldType.Float, 1]], 1n),
      'c\\ p\\,u,k\\ e\\=y\\,=v\\ a\\=l\\, f\\ k\\=e\\,y\\"=1 1',
    ],
    [point('c=pu', [], [['v', FieldType.Float, 1]], 1n), 'c=pu v=1 1'],
  ])('%#: %s', (p, line) => {
    expect(formatPoint(p)).toBe(line);
  });

  it.each<[Precision, string]>([
    ['ns', 'm v=1 1700000000123456789'],
    ['us', 'm v=1 1700000000123456'],
    ['ms', 'm v=1 1700000000123'],
    ['s', 'm v=1 1700000000'],
  ])('writes the timestamp at precision %s (floored)', (precision, line) => {
    expect(formatPoint(point('m', [], [['v', FieldType.Float, 1]], 1_700_000_000_123_456_789n), precision)).toBe(line);
  });

  it('floors negative timestamps', () => {
    expect(formatPoint(point('m', [], [['v', FieldType.Float, 1]], -1n), 's')).toBe('m v=1 -1');
  });

  it.each([NaN, Infinity, -Infinity])('refuses the float %d', (v) => {
    expect(() => formatPoint(point('m', [], [['v', FieldType.Float, v]], 0n))).toThrow(/cannot represent/);
  });

  it('formatPoints writes one terminated line per point', () => {
    const a = point('a', [], [['v', FieldType.Float, 1]], 1n);
    const b = point('b', [['t', 'x']], [['v', FieldType.Integer, 2n]], 2n);
    expect(formatPoints([a, b])).toBe('a v=1 1\nb,t=x v=2i 2\n');
    expect(formatPoints([])).toBe('');
  });
});
