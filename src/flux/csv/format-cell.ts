import { formatRfc3339Nano } from '../../core/time.js';
import { isValid, type ColumnData } from '../execute/column.js';
import { formatFloatDecimal } from '../values/format-float.js';
import type { ColumnType } from '../values/mono-type.js';
import type { Value } from '../values/value.js';

/** The annotated-CSV `#datatype` of each column type. */
export const DATATYPE_OF: Record<ColumnType, string> = {
  bool: 'boolean',
  int: 'long',
  uint: 'unsignedLong',
  float: 'double',
  string: 'string',
  time: 'dateTime:RFC3339',
  duration: 'duration',
};

/**
 * The CSV text of row `i` of a column: empty for null; doubles as Go's FormatFloat 'f' -1
 * (`NaN`, `+Inf`, `-Inf`); times in RFC3339Nano, UTC; durations as integer nanoseconds (the
 * CSV spec's form; Flux's own encoder cannot write durations at all).
 */
export function formatCell(col: ColumnData, i: number): string {
  if (!isValid(col, i)) return '';
  switch (col.type) {
    case 'float':
      return formatFloatDecimal(col.values[i]!);
    case 'string':
      return col.values[i]!;
    case 'bool':
      return col.values[i] === 1 ? 'true' : 'false';
    case 'time':
      return formatRfc3339Nano(col.values[i]!);
    default:
      return col.values[i]!.toString();
  }
}

/** The CSV text of a group-key value (for `#default` of an empty table). */
export function formatValueCell(v: Value): string {
  switch (v.kind) {
    case 'null':
      return '';
    case 'float':
      return formatFloatDecimal(v.value);
    case 'string':
      return v.value;
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'time':
      return formatRfc3339Nano(v.value);
    case 'int':
    case 'uint':
      return v.value.toString();
    case 'duration':
      return v.value.nanoseconds.toString();
    default:
      return '';
  }
}
