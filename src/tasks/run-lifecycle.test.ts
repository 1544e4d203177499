import { describe, expect, it } from 'vitest';
import { RUN_TRANSITIONS, transitionTo, type RunRecord, type RunStatus } from './run-lifecycle.js';

const base: RunRecord = {
  id: '0000000000000001',
  taskId: '00000000000000aa',
  status: 'scheduled',
  trigger: 'schedule',
  scheduledForNs: 100n,
  runAtNs: 100n,
};

const ALL: RunStatus[] = ['scheduled', 'started', 'success', 'failed', 'canceled'];
const LEGAL = new Set(['scheduled→started', 'scheduled→canceled', 'started→success', 'started→failed', 'started→canceled']);

describe('transitionTo', () => {
  const pairs = ALL.flatMap((from) => ALL.map((to) => ({ from, to, legal: LEGAL.has(`${from}→${to}`) })));
  it.each(pairs)('$from → $to legal=$legal', ({ from, to, legal }) => {
    const run = { ...base, status: from };
    if (legal) {
      expect(transitionTo(run, to, 7n).status).toBe(to);
    } else {
      expect(() => transitionTo(run, to, 7n)).toThrow(`run 0000000000000001 cannot go from ${from} to ${to}`);
    }
  });

  it('matches the declared table', () => {
    expect(ALL.flatMap((f) => RUN_TRANSITIONS[f].map((t) => `${f}→${t}`)).sort()).toEqual([...LEGAL].sort());
  });

  it('stamps times and details without touching the input', () => {
    const started = transitionTo(base, 'started', 5n);
    expect(started).toMatchObject({ status: 'started', startedAtNs: 5n });
    expect(started.finishedAtNs).toBeUndefined();
    const failed = transitionTo(started, 'failed', 9n, { attempts: 3, error: 'boom' });
    expect(failed).toMatchObject({ status: 'failed', startedAtNs: 5n, finishedAtNs: 9n, attempts: 3, error: 'boom' });
    expect(base.status).toBe('scheduled');
    expect(started.status).toBe('started');
  });
});
