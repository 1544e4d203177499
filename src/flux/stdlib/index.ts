import { PackageRegistry } from '../interpreter/index.js';
import { arrayPackage } from './array/array.js';
import { universeCore } from './universe/core.js';
import { universeRowFunctions } from './universe/row-functions.js';

/**
 * The standard library: every package a Flux program can import, plus the prelude (universe).
 * Each package module exports a `PackageDef`; several modules may contribute to one package.
 */
export function standardLibrary(): PackageRegistry {
  return new PackageRegistry().register(universeCore, universeRowFunctions, arrayPackage);
}
