import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../core/clock.js';
import { collectTables } from '../../execute/table-stream.js';
import { runProgram } from '../../interpreter/index.js';
import { standardLibrary } from '../index.js';
import { displayExpression } from '../runtime/display-expression.js';
import { FLUX_VERSION } from '../runtime/runtime.js';
import { SYSTEM_CLOCK } from './system.js';

describe('system and runtime', () => {
  it('system.time reads the clock given to the execution, not now()', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const run = await runProgram('import "array"\nimport "system"\narray.from(rows: [{t: system.time()}])', {
      registry: standardLibrary(),
      nowNs: 0n,
      externals: new Map([[SYSTEM_CLOCK, clock]]),
    });
    const [t] = await collectTables(run.results[0]!.stream.tables);
    expect(t!.value(0, 0)).toEqual({ kind: 'time', value: 1_700_000_000_000_000_000n });
  });

  it('runtime.version is the Flux version we follow', async () => {
    expect(await displayExpression('runtime.version()', 'import "runtime"')).toBe(FLUX_VERSION);
  });
});
