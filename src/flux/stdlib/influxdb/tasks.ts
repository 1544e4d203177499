import { ExternalKey, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { timeValue } from '../../values/value.js';

/**
 * What the task engine knows about the run being executed: the scheduled time of the task's last
 * successful run, if any. src/tasks passes it as the `TASK_RUN` external; a script may also set
 * `option tasks.lastSuccessTime` itself (that wins).
 */
export interface TaskRunInfo {
  readonly lastSuccessNs: bigint | undefined;
}

export const TASK_RUN = new ExternalKey<TaskRunInfo>('task run');

/** "No last success known": the option's default (Go's zero time in Flux; the int64 minimum here). */
export const ZERO_TIME_NS = -(2n ** 63n);

const lastSuccess: BuiltinSpec = {
  signature: '(orTime: T, lastSuccessTime: time) => time',
  call(args) {
    const optionNs = args.time('lastSuccessTime');
    if (optionNs !== ZERO_TIME_NS) return timeValue(optionNs);
    const fromTask = args.ctx.external(TASK_RUN)?.lastSuccessNs;
    return timeValue(fromTask ?? args.time('orTime'));
  },
};

/**
 * influxdata/influxdb/tasks: `lastSuccess(orTime:)` is the last successful run's time when known,
 * else `orTime` (a time, or a duration relative to now()).
 */
export const tasksPackage: PackageDef = {
  path: 'influxdata/influxdb/tasks',
  builtins: { _lastSuccess: lastSuccess },
  values: { _zeroTime: timeValue(ZERO_TIME_NS) },
  source: `
option lastSuccessTime = _zeroTime

lastSuccess = (orTime) => _lastSuccess(orTime: orTime, lastSuccessTime: lastSuccessTime)
`,
};
