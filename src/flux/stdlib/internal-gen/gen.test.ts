import { describe, expect, it } from 'vitest';
import { runTables } from '../experimental/run-tables.js';

describe('internal/gen.tables', () => {
  it('makes one table per tag combination with n rows', async () => {
    const tables = await runTables('import "internal/gen"\ngen.tables(n: 3, tags: [{name: "a", cardinality: 2}, {name: "b", cardinality: 3}], seed: 1)');
    expect(tables).toHaveLength(6);
    expect(tables[5]!.key).toEqual({ a: 'a1', b: 'b2' });
    expect(tables.every((t) => t.rows.length === 3)).toBe(true);
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const values = async (seed: number) =>
      (await runTables(`import "internal/gen"\ngen.tables(n: 5, seed: ${seed})`)).flatMap((t) => t.rows.map((r) => r._value));
    expect(await values(7)).toEqual(await values(7));
    expect(await values(7)).not.toEqual(await values(8));
  });

  it('makes about the requested fraction of nulls', async () => {
    const tables = await runTables('import "internal/gen"\ngen.tables(n: 1000, nulls: 0.3, seed: 3)');
    const nulls = tables[0]!.rows.filter((r) => r._value === null).length;
    expect(nulls).toBeGreaterThan(200);
    expect(nulls).toBeLessThan(400);
  });
});
