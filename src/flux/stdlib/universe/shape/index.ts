import type { PackageDef } from '../../../interpreter/index.js';

/** The relational and shape functions of universe (range, group, keep, sort, pivot, join, window, conversions, ...). */
export const universeShape: PackageDef[] = [];
