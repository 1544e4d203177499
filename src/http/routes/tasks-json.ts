import { formatRfc3339Nano, NS_PER_S } from '../../core/time.js';
import type { Label } from '../../meta/label-store.js';
import type { Script } from '../../meta/script-store.js';
import type { Task } from '../../meta/task-store.js';
import type { RunLogEntry, RunRecord } from '../../tasks/index.js';
import { labelJson } from '../tenant-json.js';

/** RFC3339 truncated to whole seconds, as InfluxDB shows createdAt/latestCompleted/scheduledFor. */
export const rfc3339Seconds = (ns: bigint): string => formatRfc3339Nano(ns - (((ns % NS_PER_S) + NS_PER_S) % NS_PER_S));

export function taskLinks(id: string): Record<string, string> {
  const self = `/api/v2/tasks/${id}`;
  return { self, members: `${self}/members`, owners: `${self}/owners`, labels: `${self}/labels`, runs: `${self}/runs`, logs: `${self}/logs` };
}

/**
 * The Task object in InfluxDB's field order (reference §4.2); optional fields omitted when
 * empty. `basic` is `?type=basic`'s reduced record (no flux, org, createdAt/updatedAt).
 * `nextRuns` (Sluice) lists upcoming scheduledFor times when given.
 */
export function taskJson(
  t: Task,
  extra: { orgName: string; labels: readonly Label[]; basic?: boolean; nextRuns?: readonly bigint[] },
): Record<string, unknown> {
  const basic = extra.basic === true;
  return {
    links: taskLinks(t.id),
    labels: extra.labels.map(labelJson),
    id: t.id,
    orgID: t.orgID,
    org: basic ? '' : extra.orgName,
    ownerID: t.ownerID,
    name: t.name,
    ...(t.description === '' ? {} : { description: t.description }),
    status: t.status,
    flux: basic ? '' : t.flux,
    ...(t.every === undefined ? {} : { every: t.every }),
    ...(t.cron === undefined ? {} : { cron: t.cron }),
    ...(t.offset === undefined ? {} : { offset: t.offset }),
    ...(t.scriptID === undefined ? {} : { scriptID: t.scriptID, scriptParameters: t.scriptParameters ?? {} }),
    latestCompleted: rfc3339Seconds(t.latestCompletedNs),
    ...(t.lastRunStatus === undefined ? {} : { lastRunStatus: t.lastRunStatus }),
    ...(t.lastRunError === undefined || t.lastRunError === '' ? {} : { lastRunError: t.lastRunError }),
    ...(basic ? {} : { createdAt: rfc3339Seconds(t.createdAtNs) }),
    ...(basic || t.updatedAtNs === undefined ? {} : { updatedAt: formatRfc3339Nano(t.updatedAtNs) }),
    ...(extra.nextRuns === undefined ? {} : { nextRuns: extra.nextRuns.map(rfc3339Seconds) }),
  };
}

export function runLinks(r: RunRecord): Record<string, string> {
  const task = `/api/v2/tasks/${r.taskId}`;
  const self = `${task}/runs/${r.id}`;
  return { self, task, logs: `${self}/logs`, retry: `${self}/retry` };
}

export const logEventJson = (l: RunLogEntry): Record<string, string> => ({ runID: l.runId, time: formatRfc3339Nano(l.timeNs), message: l.message });

/** The Run object (reference §4.7); `log` only when given and non-empty. */
export function runJson(r: RunRecord, log?: readonly RunLogEntry[]): Record<string, unknown> {
  return {
    links: runLinks(r),
    id: r.id,
    taskID: r.taskId,
    status: r.status,
    scheduledFor: rfc3339Seconds(r.scheduledForNs),
    ...(r.startedAtNs === undefined ? {} : { startedAt: formatRfc3339Nano(r.startedAtNs) }),
    ...(r.finishedAtNs === undefined ? {} : { finishedAt: formatRfc3339Nano(r.finishedAtNs) }),
    ...(r.requestedAtNs === undefined ? {} : { requestedAt: rfc3339Seconds(r.requestedAtNs) }),
    ...(log === undefined || log.length === 0 ? {} : { log: log.map(logEventJson) }),
  };
}

/** Cloud's Script object. */
export function scriptJson(s: Script): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    orgID: s.orgID,
    script: s.script,
    language: s.language,
    url: `/api/v2/scripts/${s.id}/invoke`,
    createdAt: formatRfc3339Nano(s.createdAtNs),
    updatedAt: formatRfc3339Nano(s.updatedAtNs),
  };
}
