import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { MetaStore } from './meta-store.js';

const S = 1_000_000_000n;

function setup(): { meta: MetaStore; clock: FakeClock; orgID: string } {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 14, 37, 12, 500));
  const meta = MetaStore.open(':memory:', { clock });
  const orgID = meta.orgs.create({ name: 'acme' }).id;
  return { meta, clock, orgID };
}

describe('TaskStore', () => {
  it('creates with times truncated to seconds and reads every field back', () => {
    const { meta, orgID } = setup();
    const t = meta.tasks.create({ orgID, ownerID: '0000000000000001', name: 't', flux: 'x', every: '1h', offset: '5m', scriptParameters: { a: 1 } });
    const created = BigInt(Date.UTC(2026, 0, 1, 14, 37, 12)) * 1_000_000n;
    expect(t).toMatchObject({ name: 't', status: 'active', type: 'system', every: '1h', offset: '5m', scriptParameters: { a: 1 }, description: '' });
    expect(t.createdAtNs).toBe(created);
    expect(t.latestScheduledNs).toBe(created);
    expect(t.latestCompletedNs).toBe(created);
    expect(t.cron).toBeUndefined();
    expect(meta.tasks.get(t.id)).toEqual(t);
  });

  it('filters lists by org, owner, name, status, after and limit, in id order', () => {
    const { meta, orgID } = setup();
    const other = meta.orgs.create({ name: 'other' }).id;
    const a = meta.tasks.create({ orgID, ownerID: 'u1', name: 'a', flux: '' });
    const b = meta.tasks.create({ orgID, ownerID: 'u2', name: 'b', flux: '', status: 'inactive' });
    const c = meta.tasks.create({ orgID: other, ownerID: 'u1', name: 'a', flux: '' });
    const ids = (f: Parameters<typeof meta.tasks.list>[0]): string[] => meta.tasks.list(f).map((t) => t.id);
    const cases: [Parameters<typeof meta.tasks.list>[0], string[]][] = [
      [{}, [a.id, b.id, c.id].sort()],
      [{ orgID }, [a.id, b.id].sort()],
      [{ ownerID: 'u1' }, [a.id, c.id].sort()],
      [{ name: 'a' }, [a.id, c.id].sort()],
      [{ status: 'inactive' }, [b.id]],
      [{ limit: 1 }, [[a.id, b.id, c.id].sort()[0]!]],
      [{ after: [a.id, b.id, c.id].sort()[1]! }, [[a.id, b.id, c.id].sort()[2]!]],
    ];
    for (const [filter, want] of cases) expect(ids(filter)).toEqual(want);
  });

  it('updates, resets checkpoints on activation only when asked, rejects bad status, deletes', () => {
    const { meta, clock, orgID } = setup();
    const t = meta.tasks.create({ orgID, ownerID: 'u', name: 'a', flux: 'f', status: 'inactive', every: '1h' });
    clock.advance(3_600_000);
    const kept = meta.tasks.update(t.id, { status: 'active', every: null, cron: '0 * * * *' });
    expect(kept).toMatchObject({ status: 'active', cron: '0 * * * *', latestScheduledNs: t.latestScheduledNs });
    expect(kept.every).toBeUndefined();
    expect(kept.updatedAtNs).toBe(clock.nowNs());
    meta.tasks.update(t.id, { status: 'inactive' });
    const reset = meta.tasks.update(t.id, { status: 'active' }, { resetOnActivate: true });
    expect(reset.latestScheduledNs).toBe(t.latestScheduledNs + 3600n * S);
    expect(() => meta.tasks.update(t.id, { status: 'paused' as 'active' })).toThrow('invalid task status: "paused"');
    meta.tasks.delete(t.id);
    expect(() => meta.tasks.get(t.id)).toThrow('task not found');
    expect(() => meta.tasks.delete(t.id)).toThrow('task not found');
  });

  it('checkpoints only move forward; run outcomes set status, error and latest times', () => {
    const { meta, orgID } = setup();
    const t = meta.tasks.create({ orgID, ownerID: 'u', name: 'a', flux: 'f' });
    const base = t.latestScheduledNs;
    meta.tasks.advanceLatestScheduled(t.id, base + 60n * S);
    meta.tasks.advanceLatestScheduled(t.id, base + 30n * S);
    expect(meta.tasks.get(t.id).latestScheduledNs).toBe(base + 60n * S);
    meta.tasks.recordRunFinished(t.id, { status: 'failed', scheduledForNs: base + 120n * S, error: 'boom' });
    expect(meta.tasks.get(t.id)).toMatchObject({ lastRunStatus: 'failed', lastRunError: 'boom', latestCompletedNs: base + 120n * S, latestFailureNs: base + 120n * S });
    meta.tasks.recordRunFinished(t.id, { status: 'success', scheduledForNs: base + 60n * S });
    const after = meta.tasks.get(t.id);
    expect(after).toMatchObject({ lastRunStatus: 'success', latestCompletedNs: base + 120n * S, latestSuccessNs: base + 60n * S });
    expect(after.lastRunError).toBeUndefined();
  });

  it.each([1, 127, 128, 300])('advanceLatestScheduledMany moves %i tasks forward only, as one call each would', (n) => {
    const { meta, orgID } = setup();
    const tasks = Array.from({ length: n }, (_, i) => meta.tasks.create({ orgID, ownerID: 'u', name: `t${i}`, flux: 'f' }));
    const base = tasks[0]!.latestScheduledNs;
    // Every third task is already ahead of the slot: it must stay there.
    tasks.forEach((t, i) => (i % 3 === 0 ? meta.tasks.advanceLatestScheduled(t.id, base + 120n * S) : undefined));
    meta.tasks.advanceLatestScheduledMany(
      tasks.map((t) => t.id),
      base + 60n * S,
    );
    tasks.forEach((t, i) => expect(meta.tasks.get(t.id).latestScheduledNs).toBe(base + (i % 3 === 0 ? 120n : 60n) * S));
  });
});

describe('ScriptStore', () => {
  it('creates, lists, updates, rejects duplicate names with uniqueness violation, deletes idempotently', () => {
    const { meta, orgID } = setup();
    const s = meta.scripts.create({ orgID, name: 'b', script: 'x', language: 'flux' });
    meta.scripts.create({ orgID, name: 'a', description: 'd', script: 'y', language: 'flux' });
    expect(meta.scripts.list({ orgID }).map((x) => x.name)).toEqual(['a', 'b']);
    expect(meta.scripts.list({ orgID, limit: 1, offset: 1 }).map((x) => x.name)).toEqual(['b']);
    expect(() => meta.scripts.create({ orgID, name: 'a', script: '', language: 'flux' })).toThrow('uniqueness violation');
    expect(() => meta.scripts.create({ orgID, name: 'c', script: '', language: 'js' as 'flux' })).toThrow('invalid script language');
    expect(meta.scripts.update(s.id, { description: 'new' })).toMatchObject({ description: 'new', script: 'x', name: 'b' });
    expect(() => meta.scripts.update(s.id, { name: 'a' })).toThrow('uniqueness violation');
    meta.scripts.delete(s.id);
    meta.scripts.delete(s.id);
    expect(() => meta.scripts.get(s.id)).toThrow(`script "${s.id}" not found`);
  });
});
