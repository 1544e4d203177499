import { describe, expect, it } from 'vitest';
import { collectTables } from '../../execute/table-stream.js';
import { MAX_TIME_NS, MIN_TIME_NS, sourceStream } from './from-source.js';
import { isSourceStream, type SeriesData, type SeriesReadRequest, type SeriesSource } from './series-source.js';

const requests: SeriesReadRequest[] = [];
const source: SeriesSource = {
  async *read(request) {
    requests.push(request);
    const s: SeriesData = {
      measurement: 'm',
      tags: [['t', 'v']],
      field: 'u',
      type: 2,
      timestampsNs: BigInt64Array.from([request.startNs]),
      values: BigUint64Array.from([2n ** 64n - 1n]),
    };
    yield s;
  },
  buckets: async () => [],
  cardinality: async () => 0,
};

describe('sourceStream', () => {
  it('narrow returns a new bounded stream and leaves the original unbounded', async () => {
    requests.length = 0;
    const s = sourceStream(source, { bucket: { bucket: 'b' }, startNs: MIN_TIME_NS, stopNs: MAX_TIME_NS }, false);
    const narrowed = s.narrow({ startNs: 10n, stopNs: 20n, predicate: { kind: 'true' } });
    expect([isSourceStream(s), s.bounded, narrowed.bounded]).toEqual([true, false, true]);
    const [table] = await collectTables(narrowed);
    expect(requests).toEqual([{ bucket: { bucket: 'b' }, startNs: 10n, stopNs: 20n, predicate: { kind: 'true' } }]);
    expect(table!.key.toString()).toBe('{_field=u,_measurement=m,_start=1970-01-01T00:00:00.00000001Z,_stop=1970-01-01T00:00:00.00000002Z,t=v}');
    // Unsigned values keep their full 64-bit range.
    expect(table!.value(0, table!.colIndex('_value'))).toEqual({ kind: 'uint', value: 2n ** 64n - 1n });
  });
});
