import { describe, expect, it } from 'vitest';
import type { Task } from '../../meta/task-store.js';
import type { RunRecord } from '../../tasks/index.js';
import { runJson, taskJson } from './tasks-json.js';

const S = 1_000_000_000n;
const T = BigInt(Date.UTC(2026, 0, 1, 14, 37, 12)) / 1000n * S;

const task: Task = {
  id: '0000000000000001',
  orgID: '00000000000000aa',
  ownerID: '00000000000000bb',
  type: 'system',
  name: 't',
  description: '',
  status: 'active',
  flux: 'option task = {name: "t", every: 1h}',
  every: '1h',
  latestScheduledNs: T,
  latestCompletedNs: T + 123_456_789n,
  createdAtNs: T,
};

describe('taskJson', () => {
  it('emits InfluxDB’s fields in order, omitting empty optional ones', () => {
    const json = taskJson(task, { orgName: 'acme', labels: [] });
    expect(Object.keys(json)).toEqual(['links', 'labels', 'id', 'orgID', 'org', 'ownerID', 'name', 'status', 'flux', 'every', 'latestCompleted', 'createdAt']);
    expect(json['latestCompleted']).toBe('2026-01-01T14:37:12Z');
  });

  it('shows run outcome, offset, cron, script fields and updatedAt when set; nextRuns when given', () => {
    const json = taskJson(
      { ...task, every: undefined, cron: '0 * * * *', offset: '-5m', description: 'd', lastRunStatus: 'failed', lastRunError: 'boom', updatedAtNs: T + 1n, scriptID: '00000000000000cc' } as Task,
      { orgName: 'acme', labels: [], nextRuns: [T] },
    );
    expect(json).toMatchObject({ cron: '0 * * * *', offset: '-5m', description: 'd', lastRunStatus: 'failed', lastRunError: 'boom', scriptID: '00000000000000cc', scriptParameters: {} });
    expect(json['every']).toBeUndefined();
    expect(json['updatedAt']).toBe('2026-01-01T14:37:12.000000001Z');
    expect(json['nextRuns']).toEqual(['2026-01-01T14:37:12Z']);
  });

  it('type=basic drops flux, org and the timestamps', () => {
    const json = taskJson(task, { orgName: 'acme', labels: [], basic: true });
    expect(json).toMatchObject({ flux: '', org: '' });
    expect(json['createdAt']).toBeUndefined();
  });
});

describe('runJson', () => {
  it('seconds for scheduledFor/requestedAt, nanoseconds for startedAt/finishedAt, log only when non-empty', () => {
    const run: RunRecord = {
      id: '0000000000000002',
      taskId: task.id,
      status: 'success',
      trigger: 'manual',
      scheduledForNs: T,
      runAtNs: T,
      requestedAtNs: T + 500_000_000n,
      startedAtNs: T + 1_250_000_000n,
      finishedAtNs: T + 2n * S,
    };
    expect(runJson(run, [])).toEqual({
      links: {
        self: `/api/v2/tasks/${task.id}/runs/${run.id}`,
        task: `/api/v2/tasks/${task.id}`,
        logs: `/api/v2/tasks/${task.id}/runs/${run.id}/logs`,
        retry: `/api/v2/tasks/${task.id}/runs/${run.id}/retry`,
      },
      id: run.id,
      taskID: task.id,
      status: 'success',
      scheduledFor: '2026-01-01T14:37:12Z',
      startedAt: '2026-01-01T14:37:13.25Z',
      finishedAt: '2026-01-01T14:37:14Z',
      requestedAt: '2026-01-01T14:37:12Z',
    });
    expect(runJson(run, [{ runId: run.id, timeNs: T, message: 'm' }])['log']).toEqual([{ runID: run.id, time: '2026-01-01T14:37:12Z', message: 'm' }]);
  });
});
