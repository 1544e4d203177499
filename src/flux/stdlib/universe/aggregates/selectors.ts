import type { ColumnData } from '../../../execute/column.js';
import { Table } from '../../../execute/table.js';
import { takeRows } from '../../../execute/take-rows.js';
import { CallError, type Args, type BuiltinSpec } from '../../../interpreter/index.js';
import { streamValue } from '../../../values/value.js';

/**
 * A row selector: picks at most one row of a run [from, to) by its value column; -1 when none
 * qualifies (empty run, only nulls). Nulls are never selected.
 */
export interface RowSelector {
  /** Throws Flux's error when the column type is not supported. */
  check(col: ColumnData): void;
  select(col: ColumnData, from: number, to: number): number;
}

function valid(bits: Uint8Array | null, i: number): boolean {
  return bits === null || (bits[i >>> 3]! & (1 << (i & 7))) !== 0;
}

const anyType = (): void => {};

export const firstSelector: RowSelector = {
  check: anyType,
  select(col, from, to) {
    for (let i = from; i < to; i++) if (valid(col.valid, i)) return i;
    return -1;
  },
};

export const lastSelector: RowSelector = {
  check: anyType,
  select(col, from, to) {
    for (let i = to - 1; i >= from; i--) if (valid(col.valid, i)) return i;
    return -1;
  },
};

/** min/max: numeric columns only; ties keep the earliest row (Flux compares strictly). */
function extremeSelector(name: 'MinSelector' | 'MaxSelector', sign: 1 | -1): RowSelector {
  return {
    check(col) {
      if (col.type !== 'int' && col.type !== 'uint' && col.type !== 'float' && col.type !== 'time') {
        throw new CallError(`invalid use of function: *universe.${name} has no implementation for type ${col.type}`);
      }
    },
    select(col, from, to) {
      const bits = col.valid;
      let best = -1;
      if (col.type === 'float') {
        const v = col.values;
        let bv = 0;
        for (let i = from; i < to; i++) {
          if (!valid(bits, i)) continue;
          const x = v[i]! * sign;
          if (best < 0 || x < bv) {
            best = i;
            bv = x;
          }
        }
      } else if (col.type === 'int' || col.type === 'uint' || col.type === 'time') {
        const v = col.values;
        let bv = 0n;
        for (let i = from; i < to; i++) {
          if (!valid(bits, i)) continue;
          const x = v[i]!;
          if (best < 0 || (sign === 1 ? x < bv : x > bv)) {
            best = i;
            bv = x;
          }
        }
      }
      return best;
    },
  };
}

export const minSelector = extremeSelector('MinSelector', 1);
export const maxSelector = extremeSelector('MaxSelector', -1);

/** The selector's column of a table, with Flux's errors. */
export function selectorColumn(t: Table, column: string, selector: RowSelector): ColumnData {
  const j = t.colIndex(column);
  if (j < 0) throw new CallError(`no column "${column}" exists`);
  const col = t.columns[j]!;
  selector.check(col);
  return col;
}

/** The selected row as a one-row table of the same schema, or the empty table. */
export function selectRow(t: Table, column: string, selector: RowSelector): Table {
  const col = selectorColumn(t, column, selector);
  const i = selector.select(col, 0, t.length);
  return i < 0 ? Table.empty(t.key, t.cols) : takeRows(t, [i]);
}

/** The kind of builtin aggregateWindow recognises for its fast path. */
export interface SelectorBuiltin extends BuiltinSpec {
  readonly selector: RowSelector;
}

export function selectorBuiltin(selector: RowSelector): SelectorBuiltin {
  return {
    selector,
    signature: '(<-tables: stream[A], ?column: string) => stream[A]',
    call(args: Args) {
      const column = args.stringOr('column', '_value');
      const input = args.stream();
      return streamValue(
        args.output(async function* () {
          for await (const t of input) yield selectRow(t, column, selector);
        }),
      );
    },
  };
}
