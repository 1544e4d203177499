import type { Duration } from '../../core/duration.js';
import { CronSchedule } from './cron-schedule.js';
import { EverySchedule } from './every-schedule.js';
import type { Schedule } from './schedule.js';
import { TimeZone } from './time-zone.js';

/** The schedule-relevant part of validated task options. */
export interface ScheduleOptions {
  readonly every?: Duration;
  readonly cron?: string;
  /** IANA zone for cron; `every` always uses the UTC grid, as InfluxDB does. */
  readonly location: string;
}

/**
 * Builds a task's schedule. `anchorNs` is where InfluxDB would build it from (task creation or
 * last scheduled slot); it only matters for calendar intervals (`every: 1mo`), whose alignment
 * depends on it.
 */
export function taskSchedule(options: ScheduleOptions, anchorNs: bigint): Schedule {
  if (options.every !== undefined) return new EverySchedule(options.every, anchorNs);
  return CronSchedule.parse(options.cron ?? '', TimeZone.of(options.location), anchorNs);
}
