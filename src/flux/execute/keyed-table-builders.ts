import type { GroupKey } from './group-key.js';
import { MemoryBudget } from './memory-budget.js';
import { TableBuilder } from './table-builder.js';
import type { Table } from './table.js';
import { anchorShapes } from '../../core/shape-anchors.js';

/**
 * One TableBuilder per distinct group key: how a transformation that can emit equal keys from
 * different input tables (group, map that changes key columns, window, pivot) keeps the stream's
 * one-table-per-key contract. Flux's GroupLookup.
 */
export class KeyedTableBuilders {
  readonly #builders = new Map<string, TableBuilder>();
  readonly #budget: MemoryBudget | undefined;

  constructor(budget?: MemoryBudget) {
    this.#budget = budget;
  }

  get size(): number {
    return this.#builders.size;
  }

  /** The builder for `key`, created on first use. */
  builder(key: GroupKey): TableBuilder {
    let b = this.#builders.get(key.id);
    if (b === undefined) {
      b = new TableBuilder(key, this.#budget);
      this.#builders.set(key.id, b);
    }
    return b;
  }

  /** Appends a table's rows to the builder of its key. */
  append(table: Table): void {
    this.builder(table.key).appendTable(table);
  }

  /**
   * Builds every table, sorted by key (`GroupKey.compare`), which is the order Flux's group
   * lookup emits. The instance is empty afterwards.
   */
  finish(): Table[] {
    const built = [...this.#builders.values()].map((b) => b.build());
    this.#builders.clear();
    return built.sort((a, b) => a.key.compare(b.key));
  }
}

// Live only while a query runs: one kept alive keeps its map (shape-anchors.ts).
anchorShapes(new KeyedTableBuilders(new MemoryBudget()));
