import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { SystemClock, type Clock } from '../core/clock.js';
import { createLogger, type Logger } from '../core/logger.js';
import type { ApiDeps, Lifecycle, LifecycleState, ParseLines, RouteDef } from '../http/api-context.js';
import { createApiHandler } from '../http/api-handler.js';
import { ApiMetrics } from '../http/api-metrics.js';
import { apiRoutes } from '../http/api-routes.js';
import { bucketStorageConfig } from '../http/bucket-storage-config.js';
import { WriteLimiter } from '../http/write-limiter.js';
import { ErrorCode, SluiceError } from '../core/errors.js';
import { MetaStore } from '../meta/meta-store.js';
import type { Storage } from '../storage/storage.js';
import { parseBindAddress, storageSettingsOf, type ServerConfig, type StorageSettings } from './config.js';
import { DataDirLock } from './data-dir-lock.js';

/** InfluxDB version we answer as (X-Influxdb-Version, /health). */
export const INFLUXDB_COMPAT_VERSION = 'v2.7.11';
export const SLUICE_COMMIT = 'sluice-0.1.0';

export const META_DB_FILE = 'meta.db';
export const ENGINE_DIR = 'engine';

/** Storage as the server drives it: `flush` (if offered) writes the head out on shutdown. */
export type ServerStorage = Storage & { flush?(): Promise<void> };

/** What a component (query controller, task scheduler, …) gets from the server. */
export interface ComponentContext {
  meta: MetaStore;
  /** The open storage; throws `unavailable` until it is open. */
  storage: () => Storage;
  clock: Clock;
  logger: Logger;
  /** The server's configuration (e.g. `taskMaxConcurrency`). */
  config: ServerConfig;
  /** The server's Prometheus metrics (served on /metrics); components register theirs with `metrics.registry`. */
  metrics: ApiMetrics;
}

/**
 * A part of the server with routes and/or a life of its own. `start` runs after storage is open
 * and before the server reports ready; `stop` runs after HTTP has drained and before storage
 * closes (so a scheduler can finish its runs' writes). Components stop in reverse order.
 */
export interface ServerComponent {
  readonly name: string;
  routes?(): RouteDef[];
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

export interface ServerDeps {
  /** Opens the storage engine in `dir` (`<dataDir>/engine`). */
  openStorage(dir: string, ctx: { clock: Clock; logger: Logger; settings: StorageSettings }): Promise<ServerStorage>;
  parseLines: ParseLines;
  clock?: Clock;
  logger?: Logger;
  /** Other areas (query, tasks): their routes are served alongside the core API. */
  components?: (ctx: ComponentContext) => ServerComponent[];
}

/**
 * The composition root of `sluice serve`. Start order: lock the data dir → open and migrate the
 * metadata DB → listen (answering 503 + Retry-After except on probes) → open storage and make sure
 * every bucket exists in it → start components → ready. Stop order is the reverse: refuse new
 * work (503), stop accepting connections, let in-flight requests finish (bounded by
 * `shutdownTimeoutMs`), stop components, flush and close storage, close the metadata DB, release
 * the lock.
 */
export class Server {
  private state: LifecycleState = 'starting';
  private storage: ServerStorage | undefined;
  private components: ServerComponent[] = [];
  private startedComponents: ServerComponent[] = [];
  private storageClosed = false;
  private inFlight = 0;
  private drained: (() => void) | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly config: ServerConfig,
    private readonly deps: ServerDeps,
    readonly logger: Logger,
    readonly clock: Clock,
    private readonly lock: DataDirLock,
    readonly meta: MetaStore,
    private readonly http: HttpServer,
    readonly startedAtMs: number,
  ) {}

  static async start(config: ServerConfig, deps: ServerDeps): Promise<Server> {
    const logger = deps.logger ?? createLogger({ level: config.logLevel });
    const clock = deps.clock ?? new SystemClock();
    try {
      mkdirSync(config.dataDir, { recursive: true });
    } catch (e) {
      throw new SluiceError(ErrorCode.Internal, `cannot create data directory ${config.dataDir}: ${(e as Error).message}`, { cause: e });
    }
    const lock = DataDirLock.acquire(config.dataDir);
    let meta: MetaStore | undefined;
    let server: Server | undefined;
    try {
      meta = MetaStore.open(join(config.dataDir, META_DB_FILE), { clock });
      if (meta.appliedMigrations.length > 0) logger.info({ versions: meta.appliedMigrations }, 'metadata schema migrated');
      const http = createListener(config);
      server = new Server(config, deps, logger, clock, lock, meta, http, clock.nowMs());
      await server.listen();
      logger.info({ address: server.address(), dataDir: config.dataDir }, 'listening; opening storage');
      await server.openStorage();
      server.state = 'ready';
      logger.info({ url: server.url }, 'sluice ready');
      return server;
    } catch (e) {
      if (server !== undefined) {
        await server.stop();
      } else {
        meta?.close();
        lock.release();
      }
      throw e;
    }
  }

  /** The open storage engine (undefined until open). For wiring and tests; clients use HTTP. */
  get openedStorage(): ServerStorage | undefined {
    return this.storage;
  }

  get lifecycleState(): LifecycleState {
    return this.state;
  }

  address(): AddressInfo {
    return this.http.address() as AddressInfo;
  }

  /** Base URL for clients, e.g. `http://127.0.0.1:8086`. */
  get url(): string {
    const a = this.address();
    const host = a.family === 'IPv6' ? (a.address === '::' ? '127.0.0.1' : `[${a.address}]`) : a.address === '0.0.0.0' ? '127.0.0.1' : a.address;
    return `${this.config.tlsCertPath === '' ? 'http' : 'https'}://${host}:${a.port}`;
  }

  private listen(): Promise<void> {
    const { host, port } = parseBindAddress(this.config.httpBindAddress);
    const stateOf = (): LifecycleState => this.state;
    const lifecycle: Lifecycle = {
      get state() {
        return stateOf();
      },
      startedAtMs: this.startedAtMs,
    };
    const storage = (): Storage => {
      if (this.storage === undefined || this.storageClosed) {
        throw new SluiceError(ErrorCode.Unavailable, 'storage is not open', { details: { retryAfterSeconds: 1 } });
      }
      return this.storage;
    };
    const apiDeps: ApiDeps = {
      meta: this.meta,
      storage,
      parseLines: this.deps.parseLines,
      clock: this.clock,
      logger: this.logger,
      metrics: new ApiMetrics(() => this.storage?.stats()),
      lifecycle,
      writeLimiter: new WriteLimiter(this.config.maxConcurrentWrites),
      options: {
        maxBodyBytes: this.config.maxBodyBytes,
        maxConcurrentWrites: this.config.maxConcurrentWrites,
        metricsRequireAuth: this.config.metricsRequireAuth,
        version: INFLUXDB_COMPAT_VERSION,
        commit: SLUICE_COMMIT,
      },
    };
    this.components =
      this.deps.components?.({ meta: this.meta, storage, clock: this.clock, logger: this.logger, config: this.config, metrics: apiDeps.metrics }) ?? [];
    const routes = [...apiRoutes(), ...this.components.flatMap((c) => c.routes?.() ?? [])];
    const handle = createApiHandler(apiDeps, routes);
    this.http.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.inFlight++;
      res.once('close', () => {
        this.inFlight--;
        if (this.inFlight === 0) this.drained?.();
      });
      handle(req, res);
    });
    this.http.on('clientError', (err: NodeJS.ErrnoException, duplex) => {
      const socket = duplex as Socket;
      // Malformed requests and header timeouts: answer if nothing was sent on this connection yet
      // (else a response is on its way and a raw 400 would corrupt it), then close; never throw.
      if (socket.writable && !socket.destroyed && socket.bytesWritten === 0) {
        const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      } else if (!socket.destroyed) {
        socket.destroySoon();
      }
    });
    // InfluxDB's --http-idle-timeout (3 min by default). Node's own default (5 s, and the socket
    // closed a second later) shut connections clients were about to reuse after a pause of that
    // length: the next request met a closing socket ("socket hang up"), as the peer benchmark's
    // (f) did once the questions were interleaved, with InfluxDB's 5 s answers in between.
    this.http.keepAliveTimeout = this.config.idleTimeoutMs;
    return new Promise((resolve, reject) => {
      this.http.once('error', (e) =>
        reject(new SluiceError(ErrorCode.Unavailable, `cannot listen on ${this.config.httpBindAddress}: ${e.message}`, { cause: e })),
      );
      this.http.listen({ port, ...(host === undefined ? {} : { host }) }, () => {
        this.http.removeAllListeners('error');
        this.http.on('error', (e) => this.logger.error({ err: e }, 'http server error'));
        resolve();
      });
    });
  }

  private async openStorage(): Promise<void> {
    const storage = await this.deps.openStorage(join(this.config.dataDir, ENGINE_DIR), { clock: this.clock, logger: this.logger, settings: storageSettingsOf(this.config) });
    this.storage = storage;
    // The metadata DB is the source of truth for buckets; storage learns (or re-learns) each one.
    for (const b of this.meta.buckets.list()) await storage.ensureBucket(bucketStorageConfig(b));
    for (const c of this.components) {
      await c.start?.();
      this.startedComponents.push(c);
      this.logger.debug({ component: c.name }, 'component started');
    }
  }

  /** Graceful stop; safe to call more than once (every call waits for the same stop). */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.state = 'stopping';
    this.logger.info('stopping: refusing new requests, finishing in-flight ones');
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.config.shutdownTimeoutMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.http.closeAllConnections();
    await closed;
    for (const c of this.startedComponents.reverse()) {
      try {
        await c.stop?.();
      } catch (e) {
        this.logger.error({ err: e, component: c.name }, 'stopping component failed');
      }
    }
    try {
      await this.storage?.flush?.();
    } catch (e) {
      this.logger.error({ err: e }, 'flushing storage failed; the WAL still holds the data');
    }
    this.storageClosed = true;
    try {
      await this.storage?.close();
    } catch (e) {
      this.logger.error({ err: e }, 'closing storage failed');
    }
    this.meta.close();
    this.lock.release();
    this.logger.info('stopped');
  }
}

/** A plain HTTP server, or HTTPS when a certificate and key are configured. */
function createListener(config: ServerConfig): HttpServer {
  const options = {
    requestTimeout: config.requestTimeoutMs,
    headersTimeout: config.readHeaderTimeoutMs,
    // node checks the timeouts above only every `connectionsCheckingInterval` (30 s by default),
    // which would let a slow client hold a connection well past a 10 s header timeout.
    connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(config.readHeaderTimeoutMs / 4))),
  };
  if (config.tlsCertPath === '') return createServer(options);
  let cert: Buffer;
  let key: Buffer;
  try {
    cert = readFileSync(config.tlsCertPath);
    key = readFileSync(config.tlsKeyPath);
  } catch (e) {
    throw new SluiceError(ErrorCode.Invalid, `cannot read TLS certificate or key: ${(e as Error).message}`, { cause: e });
  }
  // https.Server is an http.Server for everything the lifecycle uses (request events, close*).
  return createHttpsServer({ ...options, cert, key }) as unknown as HttpServer;
}
