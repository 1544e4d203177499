import { describe, expect, it } from 'vitest';
import { standardLibrary } from '../stdlib/index.js';
import { compileProgram, runProgram } from './program.js';

const registry = standardLibrary();
const QUERY = 'x = 1 + 2\ny = x * 10';

describe('compileProgram shares identical statements between programs', () => {
  it.each([
    { name: 'same lines, same positions: shared', a: `option now = () => 2020-01-01T00:00:00Z\n${QUERY}`, b: `option now = () => 2021-01-01T00:00:00Z\n${QUERY}`, shared: [false, true, true] },
    { name: 'same text on another line: not shared (positions differ)', a: `a = 1\n${QUERY}`, b: `a = 1\n\n${QUERY}`, shared: [true, false, false] },
    { name: 'same text at another column: not shared', a: 'x = 1', b: ' x = 1', shared: [false] },
    { name: 'other text on the same line: not shared', a: 'x = 1 y = 2', b: 'x = 1 y = 3', shared: [false, false] },
  ])('$name', ({ a, b, shared }) => {
    const fa = compileProgram(a, registry);
    const fb = compileProgram(b, registry);
    expect(fb.body.map((s, i) => s === fa.body[i])).toEqual(shared);
  });

  it('a shared statement still evaluates against each program\'s own values', async () => {
    const nows: bigint[] = [];
    let first: unknown;
    for (const day of [1, 2]) {
      const file = compileProgram(`base = 2020-01-0${day}T00:00:00Z\noption now = () => base\n`, registry);
      if (first === undefined) first = file.body[1];
      else expect(file.body[1]).toBe(first);
      nows.push((await runProgram(file, { registry })).ctx.now());
    }
    expect(nows).toEqual([1577836800000000000n, 1577923200000000000n]);
  });
});
