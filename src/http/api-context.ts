import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Point, Precision } from '../lineprotocol/point.js';
import type { MetaStore } from '../meta/meta-store.js';
import type { Storage } from '../storage/storage.js';
import type { ApiMetrics } from './api-metrics.js';
import type { Authorizer } from './authorizer.js';
import type { Params, } from './router.js';
import type { Reply } from './reply.js';
import type { WriteLimiter } from './write-limiter.js';

/**
 * Parses a whole line-protocol body; throws (InfluxDB's message) on the first batch error. The
 * returned points must not refer to `body`'s memory: the write route hands the buffer back to its
 * pool (write-body-pool.ts) as soon as this returns (the default parser copies into strings).
 */
export type ParseLines = (body: Buffer, options: { precision: Precision; defaultTimeNs: bigint }) => Point[];

export type LifecycleState = 'starting' | 'ready' | 'stopping';

/** Where the server is in its life; routes other than the probes answer 503 unless `ready`. */
export interface Lifecycle {
  readonly state: LifecycleState;
  readonly startedAtMs: number;
}

export interface ApiOptions {
  /** Decompressed request body limit; 0 = none. */
  maxBodyBytes: number;
  /** Writes processed at once before 429; 0 = no limit. */
  maxConcurrentWrites: number;
  /** Require a token on GET /metrics. */
  metricsRequireAuth: boolean;
  /** Sent as X-Influxdb-Version; InfluxDB's version we speak. */
  version: string;
  commit: string;
}

/** Everything the HTTP API needs, wired by src/server. */
export interface ApiDeps {
  meta: MetaStore;
  /** The open storage engine; throws `unavailable` while starting or stopping. */
  storage(): Storage;
  parseLines: ParseLines;
  clock: Clock;
  logger: Logger;
  metrics: ApiMetrics;
  lifecycle: Lifecycle;
  writeLimiter: WriteLimiter;
  options: ApiOptions;
}

export type RouteAuth = 'token' | 'none' | 'metrics';

/** One request as a handler sees it. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Params;
  readonly query: URLSearchParams;
  readonly deps: ApiDeps;
  /** The caller's permissions; throws 401 on routes that do not require a token. */
  readonly auth: Authorizer;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface RouteDef {
  readonly method: string;
  readonly path: string;
  readonly auth: RouteAuth;
  readonly handler: Handler;
  /** Served while starting or stopping (probes); everything else answers 503 then. */
  readonly alwaysAvailable?: boolean;
}
