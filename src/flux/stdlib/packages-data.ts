import type { PackageDef } from '../interpreter/index.js';

/** The data packages (csv, testing, generate, sampledata, experimental, join, interpolate, http, influxdata/influxdb, ...). */
export const dataPackages: PackageDef[] = [];
