import type { PackageDef } from '../../interpreter/index.js';
import { stringValue } from '../../values/value.js';

/**
 * The Flux language version Sluice implements (the influxdata/flux release whose stdlib and
 * tests it follows); what `runtime.version()` reports.
 */
export const FLUX_VERSION = 'v0.200.0';

/** `runtime`: information about the Flux runtime. */
export const runtimePackage: PackageDef = {
  path: 'runtime',
  builtins: { version: { signature: '() => string', call: () => stringValue(FLUX_VERSION) } },
};
