import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import type { Point } from '../lineprotocol/point.js';
import type { Storage } from '../storage/storage.js';
import type { RunRecord } from '../tasks/index.js';
import { RunPointWriter, runPoint } from './tasks-run-points.js';

const S = 1_000_000_000n;
const run = (id: string, status: RunRecord['status'] = 'success'): RunRecord => ({
  id,
  taskId: '00000000000000aa',
  status,
  trigger: 'schedule',
  scheduledForNs: 60n * S,
  runAtNs: 60n * S,
  startedAtNs: 61n * S,
  finishedAtNs: 62n * S,
});

function recordingStorage(fail?: (bucketId: string) => boolean): { storage: () => Storage; writes: [string, readonly Point[]][] } {
  const writes: [string, readonly Point[]][] = [];
  const storage = {
    write: (bucketId: string, points: readonly Point[]) => {
      writes.push([bucketId, points]);
      return fail?.(bucketId) === true ? Promise.reject(new Error('disk full')) : Promise.resolve({});
    },
  } as unknown as Storage;
  return { storage: () => storage, writes };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('RunPointWriter', () => {
  it('points added in one turn of the event loop go out as one write per bucket, after it', async () => {
    const { storage, writes } = recordingStorage();
    const w = new RunPointWriter(storage, silentLogger());
    w.add('bucket-a', runPoint({ name: 't' }, run('0000000000000001'), []));
    w.add('bucket-b', runPoint({ name: 't' }, run('0000000000000002', 'failed'), []));
    w.add('bucket-a', runPoint({ name: 't' }, run('0000000000000003'), []));
    expect(writes).toEqual([]);
    await turn();
    expect(writes.map(([b, ps]) => [b, ps.length])).toEqual([
      ['bucket-a', 2],
      ['bucket-b', 1],
    ]);
    w.add('bucket-a', runPoint({ name: 't' }, run('0000000000000004'), []));
    await turn();
    expect(writes.map(([b, ps]) => [b, ps.length])).toEqual([
      ['bucket-a', 2],
      ['bucket-b', 1],
      ['bucket-a', 1],
    ]);
  });

  it('drain writes what is pending at once and waits for writes in flight; a failed write is only logged', async () => {
    const { storage, writes } = recordingStorage((b) => b === 'bucket-b');
    const w = new RunPointWriter(storage, silentLogger());
    w.add('bucket-a', runPoint({ name: 't' }, run('0000000000000001'), []));
    w.add('bucket-b', runPoint({ name: 't' }, run('0000000000000002'), []));
    await w.drain();
    expect(writes.map(([b]) => b)).toEqual(['bucket-a', 'bucket-b']);
    // Nothing left for the scheduled flush.
    await turn();
    expect(writes).toHaveLength(2);
  });
});
