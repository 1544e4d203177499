import type { PackageDef } from '../interpreter/index.js';
import { csvPackage } from './csv/csv.js';
import { experimentalCatch } from './experimental/catch.js';
import { experimentalPackage } from './experimental/experimental.js';
import { influxdbPackage, influxdbPrelude } from './influxdb/influxdb.js';
import { schemaPackage, v1Package } from './influxdb/schema.js';
import { tasksPackage } from './influxdb/tasks.js';
import { joinPackage } from './join/join.js';
import { monitorPackage } from './influxdb/monitor.js';
import { sampledataPackage } from './sampledata/sampledata.js';
import { experimentalRecord, experimentalTable } from './experimental/table-record.js';
import { generatePackage } from './generate/generate.js';
import { interpolatePackage } from './interpolate/interpolate.js';
import { internalGenPackage } from './internal-gen/gen.js';
import { httpPackage, httpRequestsPackage } from './http/http.js';
import { experimentalAggregate } from './experimental/aggregate.js';
import { experimentalJson } from './experimental/json-parse.js';
import { experimentalCsv } from './experimental/csv-url.js';
import { samplePackage } from './influxdb/sample.js';
import { secretsPackage } from './influxdb/secrets.js';
import { experimentalPrometheus } from './experimental/prometheus.js';
import { eventsPackage } from './contrib-events/duration.js';
import { experimentalOee } from './experimental/oee.js';
import { experimentalDynamic } from './experimental/dynamic.js';
import { internalDebug, plannerPackage, testingExpect } from './internal/debug.js';
import { internalInfluxql, internalTesting } from './internal/testing.js';
import { testingPackage } from './testing/testing.js';

/** The data packages (csv, testing, generate, sampledata, experimental, join, interpolate, http, influxdata/influxdb, ...). */
export const dataPackages: PackageDef[] = [
  // The lead's: csv, testing, experimental.catch, internal/debug, testing/expect, planner.
  csvPackage,
  testingPackage,
  experimentalCatch,
  internalDebug,
  testingExpect,
  plannerPackage,
  internalTesting,
  internalInfluxql,
  // experimental and its subpackages
  experimentalPackage,
  experimentalTable,
  experimentalRecord,
  experimentalJson,
  experimentalAggregate,
  experimentalCsv,
  experimentalPrometheus,
  experimentalOee,
  experimentalDynamic,
  // influxdata/influxdb (+ its prelude names) and subpackages
  influxdbPackage,
  influxdbPrelude,
  schemaPackage,
  v1Package,
  tasksPackage,
  monitorPackage,
  samplePackage,
  secretsPackage,
  // the rest
  joinPackage,
  sampledataPackage,
  generatePackage,
  interpolatePackage,
  internalGenPackage,
  httpPackage,
  httpRequestsPackage,
  eventsPackage,
];
