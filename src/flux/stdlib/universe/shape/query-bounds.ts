import type { ExecContext } from '../../../interpreter/index.js';
import type { Bounds } from './window-bounds.js';

/**
 * The time bounds of the query, as Flux's planner gives them to window(): the bounds of the
 * range() upstream. We do not have a plan, so we record the bounds of every range() call of an
 * execution: when they all agree (the usual query: one range), those are the query bounds; when
 * there is none, the query is unbounded; when they differ, the caller falls back to the table's
 * own `_start`/`_stop` key values.
 */
const seen = new WeakMap<ExecContext, Map<string, Bounds>>();

export function noteRangeBounds(ctx: ExecContext, b: Bounds): void {
  let m = seen.get(ctx);
  if (m === undefined) seen.set(ctx, (m = new Map()));
  m.set(`${b.start}:${b.stop}`, b);
}

export type QueryBounds = { kind: 'bounded'; bounds: Bounds } | { kind: 'unbounded' } | { kind: 'ambiguous' };

export function queryBounds(ctx: ExecContext): QueryBounds {
  const m = seen.get(ctx);
  if (m === undefined || m.size === 0) return { kind: 'unbounded' };
  if (m.size > 1) return { kind: 'ambiguous' };
  return { kind: 'bounded', bounds: m.values().next().value! };
}
