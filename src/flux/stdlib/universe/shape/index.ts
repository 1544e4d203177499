import type { PackageDef } from '../../../interpreter/index.js';
import { columns, keyValues, keys } from './key-listing.js';
import { drop, duplicate, keep, rename } from './column-edits.js';
import { group } from './group.js';
import { range } from './range.js';
import { limit, sort, tail } from './row-selection.js';
import { set } from './set.js';

/** The relational and shape functions of universe (range, group, keep, sort, pivot, join, window, conversions, ...). */
export const universeShape: PackageDef[] = [
  {
    path: 'universe',
    builtins: { range, group, keep, drop, rename, duplicate, set, sort, limit, tail, columns, keys, keyValues },
  },
];
