import { isValid } from '../../execute/column.js';
import { GroupKey } from '../../execute/group-key.js';
import { KeyedTableBuilders } from '../../execute/keyed-table-builders.js';
import { sortTable } from '../../execute/sort-table.js';
import { Table } from '../../execute/table.js';
import { TableBuilder } from '../../execute/table-builder.js';
import type { BuiltinSpec, PackageDef } from '../../interpreter/index.js';
import { streamValue } from '../../values/value.js';
import { influxdbBuiltins } from './influxdb.js';
import { POINT_SINK } from './series-source.js';

const LEVEL_RANK: Record<string, number> = { crit: 4, warn: 3, info: 2, ok: 1 };

/**
 * `_levelChanges(fromLevel, toLevel)`: per table, rows ordered by `_source_timestamp` then
 * `_time`; keeps each row (never the first) whose `_level` is a change from the previous row's:
 * with any→any a change of severity rank (unknown levels rank 0, so unknown→unknown is no change);
 * otherwise a row matching `toLevel` right after one matching `fromLevel` ("any" matches every
 * present level other than the other side's).
 */
const levelChanges: BuiltinSpec = {
  signature: '(<-tables: stream[A], fromLevel: string, toLevel: string) => stream[A]',
  call(args) {
    const fromLevel = args.string('fromLevel');
    const toLevel = args.string('toLevel');
    const input = args.stream('tables');
    const budget = args.ctx.budget;
    const anyToAny = fromLevel === 'any' && toLevel === 'any';
    const state = (level: string | null): number => {
      if (anyToAny) return level === null ? 0 : (LEVEL_RANK[level] ?? 0);
      const isTo = toLevel === 'any' ? level !== null && level !== fromLevel : level === toLevel;
      if (isTo) return 1;
      const isFrom = fromLevel === 'any' ? level !== null && level !== toLevel : level === fromLevel;
      return isFrom ? 0 : -10;
    };
    const keep = (prev: number, cur: number): boolean => (anyToAny ? cur !== prev : cur - prev === 1);
    return streamValue(
      args.output(async function* () {
        // Changes are between consecutive statuses of one series whatever their level: drop
        // _level from the key first (merging the per-level tables), as its value is what changes.
        const merged = new KeyedTableBuilders(budget);
        for await (const t of input) {
          const keep = t.key.cols.map((_, i) => i).filter((i) => t.key.cols[i]!.label !== '_level');
          const key = new GroupKey(keep.map((i) => t.key.cols[i]!), keep.map((i) => t.key.values[i]!));
          merged.append(new Table(key, t.cols, t.columns, t.length));
        }
        for (const unsorted of merged.finish()) {
          const t = sortTable(unsorted, ['_source_timestamp', '_time'], false, budget);
          const j = t.colIndex('_level');
          const level = j < 0 ? undefined : t.columns[j]!;
          const rows: number[] = [];
          let prev = 0;
          for (let i = 0; i < t.length; i++) {
            const v = level === undefined || !isValid(level, i) ? null : (level.values[i] as string);
            const cur = state(v);
            if (i > 0 && keep(prev, cur)) rows.push(i);
            prev = cur;
          }
          const b = new TableBuilder(t.key, budget);
          for (const c of t.cols) b.addColumn(c.label, c.type);
          b.appendTable(t, rows);
          yield b.build();
        }
      }),
    );
  },
};

/**
 * Monitoring writes (`write`, `log`): `wideTo` into the monitoring bucket when a PointSink is
 * configured; without one (plain `sluice flux run`/`flux test`, no server) the tables pass
 * through unchanged, so checks and notifications can still be evaluated and inspected.
 */
const writeMonitoring: BuiltinSpec = {
  signature: '(<-tables: stream[A], bucket: string) => stream[A]',
  call(args) {
    if (args.ctx.external(POINT_SINK) === undefined) return args.streamValue('tables');
    return influxdbBuiltins.wideTo!.call(args);
  },
};

/**
 * influxdata/influxdb/monitor: checks, notifications and state changes over the `statuses` and
 * `notifications` measurements of the `_monitoring` bucket, in our own Flux.
 */
const source = `
import "experimental"
import "influxdata/influxdb"
import "influxdata/influxdb/schema"

bucket = "_monitoring"

option write = (tables=<-) => tables |> _writeMonitoring(bucket: bucket)
option log = (tables=<-) => tables |> _writeMonitoring(bucket: bucket)

levelOK = "ok"
levelInfo = "info"
levelWarn = "warn"
levelCrit = "crit"
levelUnknown = "unknown"

_measurementRows = (measurement, start, stop, fn) =>
    influxdb.from(bucket: bucket)
        |> range(start: start, stop: stop)
        |> filter(fn: (r) => r._measurement == measurement)
        |> filter(fn: fn)
        |> schema.fieldsAsCols()

logs = (start, stop=now(), fn) => _measurementRows(measurement: "notifications", start: start, stop: stop, fn: fn)
from = (start, stop=now(), fn=(r) => true) => _measurementRows(measurement: "statuses", start: start, stop: stop, fn: fn)

stateChanges = (fromLevel="any", toLevel="any", tables=<-) =>
    tables
        |> _levelChanges(fromLevel: fromLevel, toLevel: toLevel)
        |> experimental.group(mode: "extend", columns: ["_level"])

stateChangesOnly = (tables=<-) => tables |> stateChanges()

deadman = (t, tables=<-) => tables |> max(column: "_time") |> map(fn: (r) => ({r with dead: r._time < t}))

_levelOf = (r, crit, warn, info, ok) =>
    if crit(r: r) then levelCrit
    else if warn(r: r) then levelWarn
    else if info(r: r) then levelInfo
    else if ok(r: r) then levelOK
    else levelUnknown

check = (tables=<-, data, messageFn, crit=(r) => false, warn=(r) => false, info=(r) => false, ok=(r) => true) =>
    tables
        |> experimental.set(o: data.tags)
        |> experimental.group(mode: "extend", columns: experimental.objectKeys(o: data.tags))
        |> map(
            fn: (r) => ({r with
                _measurement: "statuses",
                _source_measurement: r._measurement,
                _type: data._type,
                _check_id: data._check_id,
                _check_name: data._check_name,
                _level: _levelOf(r: r, crit: crit, warn: warn, info: info, ok: ok),
                _source_timestamp: int(v: r._time),
                _time: now(),
            }),
        )
        |> map(fn: (r) => ({r with _message: messageFn(r: r)}))
        |> experimental.group(mode: "extend", columns: ["_source_measurement", "_type", "_check_id", "_check_name", "_level"])
        |> write()

notify = (tables=<-, endpoint, data) =>
    tables
        |> experimental.set(o: data)
        |> experimental.group(mode: "extend", columns: experimental.objectKeys(o: data))
        |> map(fn: (r) => ({r with _measurement: "notifications", _status_timestamp: int(v: r._time), _time: now()}))
        |> endpoint()
        |> experimental.group(mode: "extend", columns: ["_sent"])
        |> log()
`;

export const monitorPackage: PackageDef = {
  path: 'influxdata/influxdb/monitor',
  builtins: { _levelChanges: levelChanges, _writeMonitoring: writeMonitoring },
  source,
};
