import { GroupKey } from '../../execute/group-key.js';
import { TableBuilder } from '../../execute/table-builder.js';
import { streamOf } from '../../execute/table-stream.js';
import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { intValue, streamValue, timeValue } from '../../values/value.js';

/**
 * `generate.from(start, stop, count, fn)`: one table of `count` rows spread evenly over
 * [start, stop): row n has `_time = start + n·(stop-start)/count` and `_value = fn(n)`, with
 * `_start`/`_stop` the bounds (the group key).
 */
const from: BuiltinSpec = {
  signature: '(start: A, stop: A, count: int, fn: (n: int) => int) => stream[{_start: time, _stop: time, _time: time, _value: int}]',
  async call(args) {
    const startNs = args.time('start');
    const stopNs = args.time('stop');
    const count = args.int('count');
    if (count <= 0n) throw new CallError('count must be greater than zero');
    if (stopNs <= startNs) throw new CallError('stop must be after start');
    const fn = args.fn('fn');
    const key = GroupKey.of([
      [{ label: '_start', type: 'time' }, timeValue(startNs)],
      [{ label: '_stop', type: 'time' }, timeValue(stopNs)],
    ]);
    const b = new TableBuilder(key, args.ctx.budget);
    b.addColumn('_start', 'time');
    b.addColumn('_stop', 'time');
    b.addColumn('_time', 'time');
    b.addColumn('_value', 'int');
    const step = (stopNs - startNs) / count;
    for (let n = 0n; n < count; n++) {
      let v = fn.call(new Map([['n', intValue(n)]]));
      if (v instanceof Promise) v = await v;
      if (v.kind !== 'int') throw new CallError(`fn must return an int, got ${v.kind}`);
      b.appendRow([timeValue(startNs), timeValue(stopNs), timeValue(startNs + n * step), v]);
    }
    return streamValue(streamOf([b.build()]));
  },
};

export const generatePackage: PackageDef = { path: 'generate', builtins: { from } };
