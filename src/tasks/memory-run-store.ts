import { conflict, notFound } from '../core/errors.js';
import type { Id } from '../core/ids.js';
import type { RunLogEntry, RunRecord } from './run-lifecycle.js';
import type { RunQuery, RunStore, SkippedSlots } from './run-store.js';

/** RunStore in memory, for tests and for running without a metadata store. Nothing survives the process. */
export class MemoryRunStore implements RunStore {
  private readonly runs = new Map<Id, RunRecord>();
  private readonly logs = new Map<Id, RunLogEntry[]>();
  private readonly skipped: SkippedSlots[] = [];

  createRun(run: RunRecord, logs: readonly RunLogEntry[] = []): void {
    if (this.runs.has(run.id)) throw conflict(`run ${run.id} already exists`);
    this.runs.set(run.id, run);
    this.logs.set(run.id, [...logs]);
  }

  saveTransition(run: RunRecord, logs: readonly RunLogEntry[] = []): void {
    if (!this.runs.has(run.id)) throw notFound('run not found');
    this.runs.set(run.id, run);
    this.logs.get(run.id)!.push(...logs);
  }

  appendLogs(logs: readonly RunLogEntry[]): void {
    for (const entry of logs) {
      const list = this.logs.get(entry.runId);
      if (list === undefined) throw notFound('run not found');
      list.push(entry);
    }
  }

  /** Nothing to commit in memory; writes of a throwing `fn` are not undone (no durability here). */
  batch<T>(fn: () => T): T {
    return fn();
  }

  getRun(runId: Id): RunRecord | undefined {
    return this.runs.get(runId);
  }

  listRuns(taskId: Id, query: RunQuery = {}): RunRecord[] {
    const out = [...this.runs.values()].filter(
      (r) =>
        r.taskId === taskId &&
        (query.afterNs === undefined || r.scheduledForNs > query.afterNs) &&
        (query.beforeNs === undefined || r.scheduledForNs < query.beforeNs) &&
        (query.statuses === undefined || query.statuses.includes(r.status)),
    );
    out.sort((a, b) => (a.scheduledForNs === b.scheduledForNs ? (a.id < b.id ? 1 : -1) : a.scheduledForNs < b.scheduledForNs ? 1 : -1));
    return out.slice(0, query.limit ?? 100);
  }

  listLogs(runId: Id): RunLogEntry[] {
    return [...(this.logs.get(runId) ?? [])];
  }

  findUnfinishedRuns(): RunRecord[] {
    return [...this.runs.values()]
      .filter((r) => r.status === 'scheduled' || r.status === 'started')
      .sort((a, b) => (a.scheduledForNs === b.scheduledForNs ? (a.id < b.id ? -1 : 1) : a.scheduledForNs < b.scheduledForNs ? -1 : 1));
  }

  recordSkippedSlots(skipped: SkippedSlots): void {
    this.skipped.push(skipped);
  }

  listSkippedSlots(taskId: Id): SkippedSlots[] {
    return this.skipped.filter((s) => s.taskId === taskId).reverse();
  }
}
