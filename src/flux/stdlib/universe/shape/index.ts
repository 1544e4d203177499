import { durationFromNs } from '../../../../core/duration.js';
import type { PackageDef } from '../../../interpreter/index.js';
import { durationValue } from '../../../values/value.js';
import { drop, duplicate, keep, rename } from './column-edits.js';
import { conversions } from './conversions.js';
import { fill } from './fill.js';
import { group } from './group.js';
import { join } from './join.js';
import { columns, keyValues, keys } from './key-listing.js';
import { pivot } from './pivot.js';
import { range } from './range.js';
import { reduce } from './reduce.js';
import { limit, sort, tail } from './row-selection.js';
import { set } from './set.js';
import { findColumn, findRecord, getColumn, getRecord, tableFind } from './table-extraction.js';
import { hourSelection, timeShift, truncateTimeColumn } from './time-columns.js';
import { union } from './union.js';
import { valueFunctions } from './value-functions.js';
import { window } from './window.js';

/** The relational and shape functions of universe (range, group, keep, sort, pivot, join, window, conversions, ...). */
export const universeShape: PackageDef[] = [
  {
    path: 'universe',
    builtins: {
      range,
      group,
      keep,
      drop,
      rename,
      duplicate,
      set,
      sort,
      limit,
      tail,
      columns,
      keys,
      keyValues,
      fill,
      pivot,
      union,
      join,
      window,
      truncateTimeColumn,
      timeShift,
      hourSelection,
      reduce,
      tableFind,
      getColumn,
      getRecord,
      findColumn,
      findRecord,
      ...conversions,
      ...valueFunctions,
    },
    // `inf`: the longest duration (window(every: inf) puts each table in one window).
    values: { inf: durationValue(durationFromNs((1n << 63n) - 1n)) },
  },
];
