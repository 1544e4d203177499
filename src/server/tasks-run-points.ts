import type { Logger } from '../core/logger.js';
import type { Task } from '../meta/task-store.js';
import { formatRfc3339Nano } from '../core/time.js';
import type { Storage } from '../storage/storage.js';
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

/**
 * Writes finished runs' points to their `_tasks` buckets in batches: points added during one turn
 * of the event loop (runs finishing together, e.g. on one storage group commit) go out as one
 * write per bucket after it (`setImmediate`), so a burst of runs costs a few WAL records instead
 * of one write and fsync wait per run. A failed write is logged; the runs stay in the metadata DB.
 */
export class RunPointWriter {
  readonly #pending = new Map<string, Point[]>();
  readonly #writes = new Set<Promise<void>>();
  #scheduled = false;

  constructor(
    private readonly storage: () => Storage,
    private readonly log: Logger,
  ) {}

  add(bucketId: string, point: Point): void {
    let points = this.#pending.get(bucketId);
    if (points === undefined) {
      points = [];
      this.#pending.set(bucketId, points);
    }
    points.push(point);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Starts writing everything pending now. */
  flush(): void {
    this.#scheduled = false;
    for (const [bucketId, points] of this.#pending) {
      let pending: Promise<unknown>;
      try {
        pending = this.storage().write(bucketId, points);
      } catch (e) {
        // Storage closing or not open: the runs are still in the metadata DB.
        this.log.debug({ err: e, runs: points.length }, 'runs not recorded in _tasks: storage unavailable');
        continue;
      }
      const write = pending
        .then(() => undefined)
        .catch((e: unknown) => this.log.warn({ err: e, runs: points.length }, 'could not record runs in _tasks'))
        .finally(() => this.#writes.delete(write));
      this.#writes.add(write);
    }
    this.#pending.clear();
  }

  /** Writes what is pending and waits for every write in flight (before storage closes). */
  async drain(): Promise<void> {
    this.flush();
    await Promise.allSettled([...this.#writes]);
  }
}
