import type { PackageDef } from '../../../interpreter/index.js';

/** The time-series transformations of universe (derivative, moving averages, states, ...). */
export const universeTransforms: PackageDef[] = [];
