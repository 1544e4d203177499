import { describe, expect, it } from 'vitest';
import { collectTables } from '../execute/table-stream.js';
import { formatTable } from '../execute/format-table.js';
import { standardLibrary } from '../stdlib/index.js';
import { runProgram } from './program.js';
import { rowFunctionIR } from './row-function.js';

const registry = standardLibrary();

async function render(source: string): Promise<string> {
  const run = await runProgram(source, { registry });
  const parts: string[] = [];
  for (const r of run.results) for (const t of await collectTables(r.stream.tables)) parts.push(formatTable(t));
  return parts.join('\n');
}

const DATA = `import "array"
id = (v) => v
data = array.from(rows: [
  {_value: 1.5, n: 1, host: "a", ok: true},
  {_value: 99.0, n: 2, host: "b", ok: false},
  {_value: 50.0, n: 3, host: "a", ok: true},
])`;

describe('row function fast path', () => {
  it.each([
    ['r._value > 2.0', 'r._value > id(v: 2.0)'],
    ['r.host == "a" and r._value < 60.0', 'r.host == id(v: "a") and r._value < 60.0'],
    ['not r.ok or r.n >= 3', 'not id(v: r.ok) or r.n >= 3'],
    ['r.host =~ /^a/', 'id(v: r.host) =~ /^a/'],
    ['not exists r.missing', 'not exists id(v: r.missing)'],
  ])('filter %s equals the per-row evaluation', async (fast, slow) => {
    const a = await render(`${DATA}\ndata |> filter(fn: (r) => ${fast})`);
    const b = await render(`${DATA}\ndata |> filter(fn: (r) => ${slow})`);
    expect(a).toBe(b);
    expect(a.length).toBeGreaterThan(0);
  });

  it.each([
    ['{r with _value: r._value * 2.0}', '{r with _value: id(v: r._value) * 2.0}'],
    ['{_time: r.n, v: if r.ok then r._value else -1.0}', '{_time: r.n, v: if id(v: r.ok) then r._value else -1.0}'],
  ])('map %s equals the per-row evaluation', async (fast, slow) => {
    const a = await render(`${DATA}\ndata |> map(fn: (r) => (${fast}))`);
    const b = await render(`${DATA}\ndata |> map(fn: (r) => (${slow}))`);
    expect(a).toBe(b);
  });
});

describe('rowFunctionIR', () => {
  it('recognises filter and map bodies and rejects calls', async () => {
    const { Scope } = await import('./scope.js');
    const { Compiler } = await import('./compile.js');
    const { parseExpression } = await import('../syntax/index.js');
    const make = (src: string) => {
      const { expression } = parseExpression(src);
      const v = new Compiler().expr(expression)(new Scope(null));
      if (v instanceof Promise || v.kind !== 'function') throw new Error('not a function');
      return v;
    };
    expect(rowFunctionIR(make('(r) => r._value > 1.0'))?.kind).toBe('expr');
    expect(rowFunctionIR(make('(r) => ({r with _value: r._value * 2.0})'))).toMatchObject({ kind: 'record', extendsRow: true });
    expect(rowFunctionIR(make('(r) => f(x: r._value)'))).toBeUndefined();
  });
});
