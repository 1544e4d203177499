import type { Task } from '../meta/task-store.js';
import { formatRfc3339Nano } from '../core/time.js';
import { FieldType, type FieldValue, type Point } from '../lineprotocol/point.js';
import { makeSeries } from '../lineprotocol/make-series.js';
import type { RunLogEntry, RunRecord } from '../tasks/index.js';

/**
 * A finished run as InfluxDB records it in the org's `_tasks` bucket (reference §3.6):
 * measurement `runs`, tags `status` and `taskID`, time = startedAt (finishedAt for a run that
 * never started); fields runID, name, scheduledFor, startedAt, finishedAt, requestedAt, logs (a
 * JSON array of {runID, time, message}).
 */
export function runPoint(task: Pick<Task, 'name'>, run: RunRecord, logs: readonly RunLogEntry[]): Point {
  const fields: [string, FieldValue][] = [
    ['runID', run.id],
    ['name', task.name],
    ['scheduledFor', formatRfc3339Nano(run.scheduledForNs)],
  ];
  if (run.startedAtNs !== undefined) fields.push(['startedAt', formatRfc3339Nano(run.startedAtNs)]);
  if (run.finishedAtNs !== undefined) fields.push(['finishedAt', formatRfc3339Nano(run.finishedAtNs)]);
  if (run.requestedAtNs !== undefined) fields.push(['requestedAt', formatRfc3339Nano(run.requestedAtNs)]);
  fields.push(['logs', JSON.stringify(logs.map((l) => ({ runID: l.runId, time: formatRfc3339Nano(l.timeNs), message: l.message })))]);
  return {
    series: makeSeries('runs', [
      ['status', run.status],
      ['taskID', run.taskId],
    ]),
    fields: { keys: fields.map(([k]) => k), types: fields.map(() => FieldType.String) },
    values: fields.map(([, v]) => v),
    timestampNs: run.startedAtNs ?? run.finishedAtNs ?? run.scheduledForNs,
  };
}
