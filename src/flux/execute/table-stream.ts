import type { Table } from './table.js';

/**
 * A stream of tables: what Flux calls `stream[A]`. Transformations consume one and produce one,
 * table by table, so a pipeline holds only what its blocking steps (sort, group) must.
 *
 * Contracts:
 * - Single pass: a stream may be iterated once. A consumer that needs it twice buffers it
 *   (`collectTables`) and re-streams with `streamOf`.
 * - Unique keys: within one stream no two tables have equal group keys; a transformation that can
 *   produce equal keys from different inputs must merge them (see `KeyedTableBuilders`).
 * - Cancellation: a consumer that stops early calls `return()` on the iterator (a `for await`
 *   that breaks or throws does this), so producers release resources in `finally`.
 * - Errors propagate by rejection of `next()`; nothing is thrown synchronously.
 */
export type TableStream = AsyncIterable<Table>;

/** A stream over tables already in memory. */
export async function* streamOf(tables: Iterable<Table>): TableStream {
  for (const t of tables) yield t;
}

/** Reads a whole stream into memory (tests, blocking transformations, `tableFind`). */
export async function collectTables(stream: TableStream): Promise<Table[]> {
  const out: Table[] = [];
  for await (const t of stream) out.push(t);
  return out;
}

/**
 * Applies a per-table function; a result of `null` drops the table. The common shape of narrow
 * transformations (filter, map, drop, rename, ...).
 */
export async function* mapTables(
  stream: TableStream,
  fn: (table: Table) => Table | null | Promise<Table | null>,
): TableStream {
  for await (const t of stream) {
    const out = await fn(t);
    if (out !== null) yield out;
  }
}

/** Like `mapTables` for functions that turn one table into several (regrouping map). */
export async function* flatMapTables(
  stream: TableStream,
  fn: (table: Table) => Iterable<Table> | Promise<Iterable<Table>>,
): TableStream {
  for await (const t of stream) yield* await fn(t);
}
