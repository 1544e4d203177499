import type { PackageDef } from '../../../interpreter/index.js';

/** The aggregates and selectors of universe, aggregateWindow. */
export const universeAggregates: PackageDef[] = [];
