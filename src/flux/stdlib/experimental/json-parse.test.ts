import { describe, expect, it } from 'vitest';
import { runRows } from './run-tables.js';

describe('experimental/json.parse', () => {
  it.each([
    ['an object', '{\\"a\\": 1, \\"b\\": \\"x\\", \\"c\\": true}', 'array.from(rows: [{a: d.a, b: d.b, c: d.c}])', [{ a: 1, b: 'x', c: true }]],
    ['an array of records', '[{\\"v\\": 2}, {\\"v\\": 3.5}]', 'array.from(rows: d)', [{ v: 2 }, { v: 3.5 }]],
    ['nested values', '{\\"o\\": {\\"n\\": [1, 2]}}', 'array.from(rows: [{x: d.o.n[1]}])', [{ x: 2 }]],
  ])('parses %s', async (_, json, use, want) => {
    const rows = await runRows(`import "array"\nimport "experimental/json"\nd = json.parse(data: bytes(v: "${json}"))\n${use}`);
    expect(rows).toEqual(want);
  });

  it('reports invalid JSON', async () => {
    await expect(runRows('import "array"\nimport "experimental/json"\narray.from(rows: [{x: json.parse(data: bytes(v: "{nope"))}])')).rejects.toThrow(
      /invalid JSON/,
    );
  });
});
