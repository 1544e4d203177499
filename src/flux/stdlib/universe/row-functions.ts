import { filterTable } from '../../execute/filter-table.js';
import type { Breather } from '../../execute/steps.js';
import { KeyedTableBuilders } from '../../execute/keyed-table-builders.js';
import { mapColumns } from '../../execute/map-columns.js';
import { mapRecords, overrideColumns } from '../../execute/map-records.js';
import { compileMapOutputs, compileRowPredicate } from '../../execute/row-expr.js';
import { RowCursor } from '../../execute/row-cursor.js';
import { LiveRowFields } from '../../execute/row-record.js';
import { Table } from '../../execute/table.js';
import type { FunctionValue, RecordValue, Value } from '../../values/value.js';
import { streamValue } from '../../values/value.js';
import { CallError, rowFunctionIR, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';

/** The name of a row function's single parameter (Flux requires `r`, but we honour any name). */
function rowParam(fn: FunctionValue): string {
  const p = fn.type.parameters[0];
  return p === undefined ? 'r' : p.name;
}

function toBool(v: Value): boolean {
  if (v.kind === 'null') return false;
  if (v.kind !== 'bool') throw new CallError(`expected filter function to return bool, got ${v.kind}`);
  return v.value;
}

/** Rows evaluated between two checkpoints of the execution (the event loop's chance to run). */
const ROWS_PER_CHECKPOINT = 1 << 14;

/**
 * Evaluates `fn` for every row; synchronous unless the function awaits (then row by row), and
 * apart from `breathe` every ROWS_PER_CHECKPOINT rows (ExecContext.checkpoint: a table of
 * millions of rows is not one piece of work the time limit and the client cannot interrupt).
 */
async function evalRows(table: Table, fn: FunctionValue, breathe: Breather, each: (row: number, v: Value) => void): Promise<void> {
  const cursor = new RowCursor(table);
  const args = new Map<string, Value>([[rowParam(fn), cursor.view()]]);
  for (let i = 0; i < table.length; i++) {
    if ((i & (ROWS_PER_CHECKPOINT - 1)) === ROWS_PER_CHECKPOINT - 1) {
      const pause = breathe();
      if (pause !== undefined) await pause;
    }
    cursor.row = i;
    const v = fn.call(args);
    each(i, v instanceof Promise ? await v : v);
  }
}

const filter: BuiltinSpec = {
  signature: '(<-tables: stream[A], fn: (r: A) => bool, ?onEmpty: string) => stream[A]',
  call(args) {
    const input = args.stream();
    const fn = args.fn('fn');
    const onEmpty = args.stringOr('onEmpty', 'drop');
    const ctx = args.ctx;
    const breathe = (): Promise<void> | undefined => ctx.checkpoint();
    const ir = rowFunctionIR(fn);
    if (onEmpty !== 'drop' && onEmpty !== 'keep') throw new CallError(`onEmpty must be "drop" or "keep", got "${onEmpty}"`);
    return streamValue(
      args.output(async function* () {
        for await (const table of input) {
          // Fast path: the body compiled to a kernel over this table's columns.
          const kernel = ir?.kind === 'expr' ? compileRowPredicate(table, ir.expr) : undefined;
          let out: Table;
          if (kernel !== undefined) {
            out = filterTable(table, kernel);
          } else {
            const keep = new Uint8Array(table.length);
            await evalRows(table, fn, breathe, (i, v) => (keep[i] = toBool(v) ? 1 : 0));
            out = filterTable(table, (i) => keep[i] === 1);
          }
          if (out.length > 0 || onEmpty === 'keep') yield out;
        }
      }),
    );
  },
};

const map: BuiltinSpec = {
  signature: '(<-tables: stream[A], fn: (r: A) => B, ?mergeKey: bool) => stream[B]',
  call(args) {
    const input = args.stream();
    const fn = args.fn('fn');
    const ctx = args.ctx;
    const budget = ctx.budget;
    const breathe = (): Promise<void> | undefined => ctx.checkpoint();
    const ir = rowFunctionIR(fn);
    return streamValue(
      args.output(async function* () {
        const out = new KeyedTableBuilders(budget);
        for await (const table of input) {
          const outputs = ir?.kind === 'record' && table.length > 0 ? compileMapOutputs(table, ir.fields, ir.extendsRow) : undefined;
          if (outputs !== undefined) {
            for (const t of mapColumns(table, outputs)) out.append(t);
            continue;
          }
          // Evaluate all rows first (possibly awaiting), then build the output tables.
          const records: RecordValue[] = new Array<RecordValue>(table.length);
          await evalRows(table, fn, breathe, (i, v) => {
            if (v.kind !== 'record') throw new CallError(`map function must return a record, got ${v.kind}`);
            // Only the live row view must be copied: it moves on with the cursor.
            records[i] = v.fields instanceof LiveRowFields ? { kind: 'record', fields: new Map(v.fields) } : v;
          });
          // `{r with …}` records of this table's rows: their new values as columns, the rest kept.
          const made = overrideColumns(table, records, budget);
          const tables = made === undefined ? mapRecords(table, (c) => records[c.row]!, budget) : mapColumns(table, made, budget);
          for (const t of tables) out.append(t);
        }
        // A column that is null in every row with no known type does not exist, and a table
        // with no columns has no rows (as Flux's map).
        for (const t of out.finish()) yield t.cols.length === 0 && t.length > 0 ? Table.empty(t.key, t.cols) : t;
      }),
    );
  },
};

export const universeRowFunctions: PackageDef = { path: 'universe', builtins: { filter, map } };
