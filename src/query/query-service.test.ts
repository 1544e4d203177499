import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { MetaStore } from '../meta/meta-store.js';
import type { Storage } from '../storage/storage.js';
import { QueryController } from './query-controller.js';
import { QueryService } from './query-service.js';

let meta: MetaStore | undefined;
afterEach(() => meta?.close());

function service(): QueryService {
  meta = MetaStore.open(':memory:');
  return new QueryService({
    meta,
    storage: (): Storage => {
      throw new Error('compile never touches storage');
    },
    controller: new QueryController({ maxConcurrent: 1, maxQueued: 1, memoryBytes: 0, timeoutMs: 0 }, new FakeClock()),
  });
}

describe('QueryService.compile', () => {
  it('compiles a script once and reuses it (tasks run the same script every period)', () => {
    const q = service();
    const src = 'from(bucket: "b") |> range(start: -1h)';
    const first = q.compile(src);
    expect(q.compile(src)).toBe(first);
    expect(q.compile(`${src}\n`)).not.toBe(first);
  });

  it('does not cache failures: a bad script fails every time with its diagnostics', () => {
    const q = service();
    expect(() => q.compile('x = y')).toThrow('error @1:5-1:6: undefined identifier y');
    expect(() => q.compile('x = y')).toThrow('error @1:5-1:6: undefined identifier y');
  });
});
