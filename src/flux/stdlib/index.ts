import { PackageRegistry } from '../interpreter/index.js';
import { arrayPackage } from './array/array.js';
import { basicPackages } from './packages-basic.js';
import { dataPackages } from './packages-data.js';
import { universeAggregates } from './universe/aggregates/index.js';
import { universeCore } from './universe/core.js';
import { universeRowFunctions } from './universe/row-functions.js';
import { universeShape } from './universe/shape/index.js';
import { universeTransforms } from './universe/transforms/index.js';

/**
 * The standard library: every package a Flux program can import, plus the prelude (universe).
 * Each package module exports a `PackageDef`; several modules may contribute to one package
 * (the registry merges them), which is how universe is split by theme.
 */
export function standardLibrary(): PackageRegistry {
  return new PackageRegistry().register(
    universeCore,
    universeRowFunctions,
    ...universeShape,
    ...universeAggregates,
    ...universeTransforms,
    arrayPackage,
    ...basicPackages,
    ...dataPackages,
  );
}
