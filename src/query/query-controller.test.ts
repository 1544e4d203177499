import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { SluiceError } from '../core/errors.js';
import { QueryController } from './query-controller.js';

/** A query body the test finishes by hand. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('QueryController', () => {
  it('runs up to maxConcurrent, queues up to maxQueued in order, refuses the rest with 429 naming the limit', async () => {
    const c = new QueryController({ maxConcurrent: 2, maxQueued: 1, memoryBytes: 0, timeoutMs: 0 }, new FakeClock());
    const order: string[] = [];
    const gates = [gate(), gate(), gate()];
    const never = new AbortController().signal;
    const runs = ['a', 'b', 'c'].map((name, i) =>
      c.run(never, async () => {
        order.push(`start ${name}`);
        await gates[i]!.promise;
        order.push(`end ${name}`);
      }),
    );
    await tick();
    expect(c.active).toBe(2);
    expect(c.queued).toBe(1);
    const refused = await c.run(never, async () => 'x').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SluiceError);
    expect((refused as SluiceError).code).toBe('too many requests');
    expect((refused as SluiceError).message).toMatch(/1 queries are already waiting for one of 2 slots/);
    gates[0]!.open();
    await tick();
    expect(order).toEqual(['start a', 'start b', 'end a', 'start c']);
    gates[1]!.open();
    gates[2]!.open();
    await Promise.all(runs);
    expect(c.active).toBe(0);
  });

  it('aborts a query past its time limit, with the limit in the reason', async () => {
    const clock = new FakeClock();
    const c = new QueryController({ maxConcurrent: 1, maxQueued: 0, memoryBytes: 0, timeoutMs: 500 }, clock);
    const result = c.run(new AbortController().signal, async (slot) => {
      await new Promise<void>((resolve) => slot.signal.addEventListener('abort', () => resolve()));
      throw slot.signal.reason;
    });
    await tick();
    clock.advance(499);
    await tick();
    clock.advance(1);
    await expect(result).rejects.toThrow('query timeout: the query ran longer than the limit of 500 ms');
  });

  it('gives each query a memory budget with the configured limit', async () => {
    const c = new QueryController({ maxConcurrent: 0, maxQueued: 0, memoryBytes: 1000, timeoutMs: 0 }, new FakeClock());
    await expect(c.run(new AbortController().signal, async (slot) => slot.budget.charge(2000))).rejects.toThrow(
      /memory allocation limit reached: limit 1000 bytes/,
    );
  });

  it('a queued query whose client leaves is dropped from the queue', async () => {
    const c = new QueryController({ maxConcurrent: 1, maxQueued: 5, memoryBytes: 0, timeoutMs: 0 }, new FakeClock());
    const g = gate();
    const first = c.run(new AbortController().signal, () => g.promise);
    const ac = new AbortController();
    const second = c.run(ac.signal, async () => 'ran');
    await tick();
    expect(c.queued).toBe(1);
    ac.abort();
    await expect(second).rejects.toThrow('query canceled while queued');
    expect(c.queued).toBe(0);
    g.open();
    await first;
    expect(c.active).toBe(0);
  });

  it('close refuses queued and new queries', async () => {
    const c = new QueryController({ maxConcurrent: 1, maxQueued: 5, memoryBytes: 0, timeoutMs: 0 }, new FakeClock());
    const g = gate();
    const first = c.run(new AbortController().signal, () => g.promise);
    const queued = c.run(new AbortController().signal, async () => 'ran');
    await tick();
    c.close();
    await expect(queued).rejects.toThrow('shutting down');
    await expect(c.run(new AbortController().signal, async () => 1)).rejects.toThrow('shutting down');
    g.open();
    await first;
  });
});
