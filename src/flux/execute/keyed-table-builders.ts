import type { GroupKey } from './group-key.js';
import { MemoryBudget } from './memory-budget.js';
import { concatTables } from './concat-tables.js';
import { TableBuilder } from './table-builder.js';
import type { Table } from './table.js';
import { anchorShapes } from '../../core/shape-anchors.js';

/**
 * One output table per distinct group key: how a transformation that can emit equal keys from
 * different input tables (group, map that changes key columns, window, pivot) keeps the stream's
 * one-table-per-key contract. Flux's GroupLookup.
 *
 * Whole tables given to `append` are kept as they are and put together once, at `finish`
 * (concat-tables.ts: each column allocated at its final size; a key with one table keeps its
 * columns), rather than copied into a growing builder. A key built row by row (`builder`) has a
 * TableBuilder; tables appended to such a key go into it.
 */
export class KeyedTableBuilders {
  readonly #entries = new Map<string, { key: GroupKey; tables: Table[]; builder: TableBuilder | undefined }>();
  readonly #budget: MemoryBudget | undefined;

  constructor(budget?: MemoryBudget) {
    this.#budget = budget;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The builder for `key`, created on first use (with the tables appended so far, in order). */
  builder(key: GroupKey): TableBuilder {
    const e = this.#entry(key);
    if (e.builder === undefined) {
      e.builder = new TableBuilder(key, this.#budget);
      for (const t of e.tables) e.builder.appendTable(t);
      e.tables = [];
    }
    return e.builder;
  }

  /** Appends a table's rows to the output table of its key. */
  append(table: Table): void {
    const e = this.#entry(table.key);
    if (e.builder !== undefined) e.builder.appendTable(table);
    else e.tables.push(table);
  }

  #entry(key: GroupKey): { key: GroupKey; tables: Table[]; builder: TableBuilder | undefined } {
    let e = this.#entries.get(key.id);
    if (e === undefined) this.#entries.set(key.id, (e = { key, tables: [], builder: undefined }));
    return e;
  }

  /**
   * Builds every table, sorted by key (`GroupKey.compare`), which is the order Flux's group
   * lookup emits. The instance is empty afterwards.
   */
  finish(): Table[] {
    const built: Table[] = [];
    for (const e of this.#entries.values()) built.push(e.builder !== undefined ? e.builder.build() : concatTables(e.key, e.tables, this.#budget));
    this.#entries.clear();
    return built.sort((a, b) => a.key.compare(b.key));
  }
}

// Live only while a query runs: one kept alive keeps its map (shape-anchors.ts).
anchorShapes(new KeyedTableBuilders(new MemoryBudget()));
