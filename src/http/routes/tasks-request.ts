import { invalid, isSluiceError, notFound, SluiceError } from '../../core/errors.js';
import type { Task } from '../../meta/task-store.js';
import type { RequestContext } from '../api-context.js';
import { checkedId } from '../id-param.js';

/**
 * Runs `fn`, putting InfluxDB's handler prefix (`failed to force run: `, `failed to decode
 * request: ` …) in front of a SluiceError's message; the error code is kept.
 */
export function withPrefix<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw prefixed(prefix, e);
  }
}

export function prefixed(prefix: string, e: unknown): unknown {
  if (!isSluiceError(e)) return e;
  return new SluiceError(e.code, `${prefix}: ${e.message}`, { cause: e });
}

/**
 * The task named by the `:id` path parameter, after checking the caller may `action` it. An
 * unknown task is 404 `<prefix>: task not found`; a task the caller may not see is 401.
 */
export function taskFor(ctx: RequestContext, action: 'read' | 'write', prefix: string): Task {
  const id = withPrefix('failed to decode request', () => checkedId(ctx.params['id']));
  const task = ctx.deps.meta.tasks.findById(id);
  if (task === undefined) throw notFound(`${prefix}: task not found`);
  ctx.auth.require(action, { type: 'tasks', orgID: task.orgID, id: task.id });
  return task;
}

/** An integer query parameter within [min, max]; `message` is the out-of-range error. */
export function limitParam(query: URLSearchParams, name: string, dflt: number, min: number, max: number, message: string): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return dflt;
  if (!/^-?\d+$/.test(raw)) throw invalid(`failed to decode request: ${name} must be an integer, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw invalid(`failed to decode request: ${message}`);
  return n;
}

/** A non-empty query parameter, or undefined. */
export function queryString(query: URLSearchParams, name: string): string | undefined {
  const v = query.get(name);
  return v === null || v === '' ? undefined : v;
}
