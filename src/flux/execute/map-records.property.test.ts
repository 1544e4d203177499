import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { T } from '../values/mono-type.js';
import { floatValue, intValue, nullValue, stringValue, type RecordValue, type Value } from '../values/value.js';
import { formatTable } from './format-table.js';
import { mapColumns } from './map-columns.js';
import { mapRecords, overrideColumns } from './map-records.js';
import { RowCursor } from './row-cursor.js';
import { recordWithFields } from './row-record.js';
import { tableFromColumns } from './table-builder.js';

/**
 * map()'s records of `{r with …}` over the rows of a table are made into whole columns
 * (`overrideColumns` + `mapColumns`) instead of being appended record by record. For any values,
 * including ones that change key columns (rows move to other tables), nulls and mixed types, that
 * must give what `mapRecords` gives, or be left to it.
 */

const pools: Record<string, Value[]> = {
  string: [stringValue('a'), stringValue('b'), stringValue('A'), nullValue(T.string)],
  float: [floatValue(1.5), floatValue(-2), floatValue(0), nullValue(T.float)],
  int: [intValue(1n), intValue(7n), nullValue(T.int)],
};
const anyValue = Object.values(pools).flat();

/** Per label, five rows' values: of one type (nulls of it included), or of any types. */
const cellsArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('string', 'float', 'int').chain((type) => fc.array(fc.constantFrom(...pools[type]!), { minLength: 5, maxLength: 5 })) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...anyValue), { minLength: 5, maxLength: 5 }) },
);

describe('map: {r with …} records as whole columns', () => {
  it('the same tables as appending the records', () => {
    const t = tableFromColumns(
      [
        ['host', 'string', ['a', 'a', 'a', 'a', 'a']],
        ['_field', 'string', ['f', 'f', 'f', 'f', 'f']],
        ['_value', 'float', [1, 2, null, 4, 5]],
        ['note', 'string', ['x', 'y', 'z', 'x', 'y']],
      ],
      ['host', '_field'],
    );
    let whole = 0;
    fc.assert(
      fc.property(
        fc.subarray(['host', '_value', 'extra', 'note', 'more'], { minLength: 1 }),
        fc.array(cellsArb, { minLength: 5, maxLength: 5 }),
        (labels, cells) => {
          const values = (row: number): Value[] => labels.map((_, k) => cells[k]![row]!);
          const cursor = new RowCursor(t);
          const records: RecordValue[] = [];
          for (let i = 0; i < t.length; i++) {
            cursor.row = i;
            records.push(recordWithFields(cursor.view(), labels, values(i)));
          }
          const want = (() => {
            try {
              return mapRecords(t, (c) => records[c.row]!).map(formatTable);
            } catch (e) {
              return (e as Error).message;
            }
          })();
          const made = overrideColumns(t, records);
          if (made === undefined) return;
          whole++;
          expect(mapColumns(t, made).map(formatTable)).toEqual(want);
        },
      ),
      { numRuns: 400 },
    );
    expect(whole).toBeGreaterThan(100);
  });

  it('leaves records that are not {r with …} of their own rows to mapRecords', () => {
    const t = tableFromColumns([['v', 'int', [1, 2]]]);
    const cursor = new RowCursor(t);
    const plain: RecordValue = { kind: 'record', fields: new Map([['v', intValue(1n)]]) };
    expect(overrideColumns(t, [plain, plain])).toBeUndefined();
    cursor.row = 0;
    const first = recordWithFields(cursor.view(), ['w'], [intValue(1n)]);
    // Row 0's record twice: the second is not row 1's.
    expect(overrideColumns(t, [first, first])).toBeUndefined();
    // Only nulls of no column type for a label.
    cursor.row = 0;
    const a = recordWithFields(cursor.view(), ['w'], [nullValue(T.null)]);
    cursor.row = 1;
    const b = recordWithFields(cursor.view(), ['w'], [nullValue(T.null)]);
    expect(overrideColumns(t, [a, b])).toBeUndefined();
  });
});
