import { addDuration, isZeroDuration, type Duration } from '../../core/duration.js';
import { invalid, type SluiceError } from '../../core/errors.js';
import { CronSchedule } from '../schedule/cron-schedule.js';
import { TimeZone } from '../schedule/time-zone.js';

/** What to do with slots missed while the server was down or the task inactive. */
export type CatchupPolicy = 'all' | 'latest' | 'skip';
export const CATCHUP_POLICIES: readonly CatchupPolicy[] = ['all', 'latest', 'skip'];

export const MAX_CONCURRENCY = 100;
export const MAX_RETRY = 10;

/**
 * Options as read from a script's literals, before validation. A key is undefined when the
 * record does not have it. `location` is the IANA name from `option location =
 * timezone.location(name: "…")`, a separate option statement.
 */
export interface ExtractedTaskOptions {
  readonly name?: string;
  readonly every?: Duration;
  readonly cron?: string;
  readonly offset?: Duration;
  readonly concurrency?: number;
  readonly retry?: number;
  /** Sluice extension: `catchup: "all" | "latest" | "skip"`. */
  readonly catchup?: string;
  readonly location?: string;
}

/** Validated task options. Exactly one of `every` and `cron` is set. */
export interface TaskOptions {
  readonly name: string;
  readonly every?: Duration;
  readonly cron?: string;
  /** Zero when absent. May be negative (InfluxDB allows it). */
  readonly offset: Duration;
  /** 1..100, default 1. Enforced: runs of one task overlap at most this much. */
  readonly concurrency: number;
  /** 1..10, default 1: total attempts per run, so `retry: 3` retries a failure twice. */
  readonly retry: number;
  /** Undefined means the scheduler's default policy. */
  readonly catchup?: CatchupPolicy;
  /** IANA zone for cron evaluation; `UTC` when the script sets no location. */
  readonly location: string;
}

/** The `invalid options: …` prefix InfluxDB's task service puts on every option error. */
export function taskOptionError(message: string): SluiceError {
  return invalid(`invalid options: ${message}`);
}

/**
 * Validates extracted options with InfluxDB's rules and messages (reference §1.1), in its order:
 * presence checks first (one error, as InfluxDB's extractor returns on the first), then every
 * rule of `Validate()`, joined with ", ". InfluxDB wraps `Validate()` errors twice, so those read
 * `invalid options: invalid options: name required`; Sluice reproduces that text exactly.
 *
 * `nowNs` sizes calendar intervals (`every: 1mo` is 28–31 days depending on when it is asked).
 */
export function validateTaskOptions(raw: ExtractedTaskOptions, nowNs: bigint): TaskOptions {
  if (raw.name === undefined) throw taskOptionError('missing required option: name');
  if (raw.cron !== undefined && raw.every !== undefined) {
    throw taskOptionError('cannot use both cron and every in task options');
  }
  if (raw.cron === undefined && raw.every === undefined) throw taskOptionError('missing required option: cron or every');

  const problems: string[] = [];
  if (raw.name === '') problems.push('name required');

  const cronPresent = raw.cron !== undefined && raw.cron !== '';
  const everyPresent = raw.every !== undefined && !isZeroDuration(raw.every);
  if (cronPresent === everyPresent) {
    problems.push('must specify exactly one of either cron or every');
  } else if (cronPresent) {
    try {
      // Parse, and make sure it ever fires (e.g. "0 0 30 2 *" parses but never matches).
      CronSchedule.parse(raw.cron!).next(nowNs);
    } catch (e) {
      problems.push(`cron invalid: ${(e as Error).message}`);
    }
  } else {
    const lengthNs = addDuration(nowNs, raw.every!) - nowNs;
    if (lengthNs < 1_000_000_000n) problems.push('every option must be at least 1 second');
    else if (lengthNs % 1_000_000_000n !== 0n) problems.push('every option must be expressible as whole seconds');
  }
  if (raw.offset !== undefined && raw.offset.nanoseconds % 1_000_000_000n !== 0n) {
    // Negative offsets are allowed, as in InfluxDB.
    problems.push('offset option must be expressible as whole seconds');
  }
  if (raw.concurrency !== undefined) {
    if (raw.concurrency < 1) problems.push('concurrency must be at least 1');
    else if (raw.concurrency > MAX_CONCURRENCY) problems.push(`concurrency exceeded max of ${MAX_CONCURRENCY}`);
  }
  if (raw.retry !== undefined) {
    if (raw.retry < 1) problems.push('retry must be at least 1');
    else if (raw.retry > MAX_RETRY) problems.push(`retry exceeded max of ${MAX_RETRY}`);
  }
  // Sluice extensions, reported the same way.
  if (raw.catchup !== undefined && !(CATCHUP_POLICIES as readonly string[]).includes(raw.catchup)) {
    problems.push(`catchup must be one of "all", "latest" or "skip"`);
  }
  if (raw.location !== undefined) {
    try {
      TimeZone.of(raw.location);
    } catch (e) {
      problems.push(`location invalid: ${(e as Error).message}`);
    }
  }
  if (problems.length > 0) throw taskOptionError(`invalid options: ${problems.join(', ')}`);

  return {
    name: raw.name,
    ...(cronPresent ? { cron: raw.cron! } : { every: raw.every! }),
    offset: raw.offset ?? { months: 0, nanoseconds: 0n, negative: false },
    concurrency: raw.concurrency ?? 1,
    retry: raw.retry ?? 1,
    ...(raw.catchup !== undefined ? { catchup: raw.catchup as CatchupPolicy } : {}),
    location: raw.location ?? 'UTC',
  };
}
