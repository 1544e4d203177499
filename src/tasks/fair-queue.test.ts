import { describe, expect, it } from 'vitest';
import { FairQueue, type ReleaseSlot } from './fair-queue.js';
import { RunInterrupt } from './run-interrupt.js';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('FairQueue', () => {
  it('caps concurrent holders and serves keys round-robin', async () => {
    const q = new FairQueue(2);
    const order: string[] = [];
    const releases: ReleaseSlot[] = [];
    const take = (key: string, label: string): void => {
      void q.acquire(key).then((release) => {
        order.push(label);
        releases.push(release);
      });
    };
    // Task a floods the queue first; b and c arrive later but are not starved.
    for (let i = 1; i <= 4; i++) take('a', `a${i}`);
    take('b', 'b1');
    take('c', 'c1');
    take('b', 'b2');
    await flush();
    expect(order).toEqual(['a1', 'a2']);
    expect(q.running).toBe(2);
    expect(q.waiting).toBe(5);
    for (let i = 0; i < 5; i++) {
      releases.shift()!();
      await flush();
    }
    expect(order).toEqual(['a1', 'a2', 'a3', 'b1', 'c1', 'a4', 'b2']);
    expect(q.running).toBe(2);
    expect(q.waiting).toBe(0);
  });

  it('release is idempotent', async () => {
    const q = new FairQueue(1);
    const r = await q.acquire('a');
    r();
    r();
    expect(q.running).toBe(0);
  });

  it('an aborted waiter leaves the queue with a canceled error', async () => {
    const q = new FairQueue(1);
    const first = await q.acquire('a');
    const interrupt = new RunInterrupt();
    const waiting = q.acquire('b', interrupt);
    const later = q.acquire('c');
    interrupt.stop();
    await expect(waiting).rejects.toMatchObject({ code: 'canceled' });
    expect(q.waiting).toBe(1);
    first();
    await expect(later).resolves.toBeTypeOf('function');
    expect(q.running).toBe(1);
    await expect(q.acquire('d', interrupt)).rejects.toMatchObject({ code: 'canceled' });
  });
});
