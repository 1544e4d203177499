import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { invalid } from '../core/errors.js';
import { parseDuration } from '../core/duration.js';
import type { LogLevel } from '../core/logger.js';
import type { RemoteSettings } from '../query/remote/remote-options.js';

/** Everything `sluice serve` can be told, from flags or `SLUICE_*` environment variables. */
export interface ServerConfig {
  /** `host:port`; `:8086` listens on every interface. */
  httpBindAddress: string;
  /** Holds the metadata DB (`meta.db`), the storage engine (`engine/`) and the lock file. */
  dataDir: string;
  logLevel: LogLevel;
  /** Largest decompressed request body; 0 = no limit. */
  maxBodyBytes: number;
  /** Writes processed at once before 429; 0 = no limit. */
  maxConcurrentWrites: number;
  /** Require a token on GET /metrics. */
  metricsRequireAuth: boolean;
  /** Time a client has to send the request headers. */
  readHeaderTimeoutMs: number;
  /** Time a client has to send the whole request. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open for the client's next request; 0 = no limit. */
  idleTimeoutMs: number;
  /** How long shutdown waits for in-flight requests before closing connections. */
  shutdownTimeoutMs: number;
  /** PEM certificate and key files; both set = serve HTTPS. */
  tlsCertPath: string;
  tlsKeyPath: string;
  /** Task runs executing at once across all tasks; 0 = no limit. */
  taskMaxConcurrency: number;
  /** Flux queries executing at once; 0 = no limit. */
  queryConcurrency: number;
  /** Flux queries waiting for a slot before 429. */
  queryQueueSize: number;
  /** Memory one Flux query may hold; 0 = no limit. */
  queryMemoryBytes: number;
  /** Time one Flux query may run; 0 = no limit. */
  queryTimeoutMs: number;
  /**
   * InfluxDB's `--hardening-enabled`: Flux may not connect to private, loopback, link-local or
   * unspecified addresses (`from/to/buckets/wideTo/cardinality(host:)`, `http.post`, `requests`…).
   */
  hardeningEnabled: boolean;
  /** Longest wait for a remote host's (`host:`) response headers; 0 = no limit. */
  remoteHeadersTimeoutMs: number;
  /** Longest silence inside a remote host's response body; 0 = no limit. */
  remoteIdleTimeoutMs: number;
  /** InfluxDB's `--storage-cache-snapshot-memory-size`: the head is flushed to blocks at this size (16 bytes a value). */
  storageCacheSnapshotMemoryBytes: number;
  /** InfluxDB's `--storage-cache-snapshot-write-cold-duration`: a head this old is flushed; 0 = at every maintenance turn. */
  storageCacheSnapshotWriteColdDurationMs: number;
  /** Decoded block columns kept in memory for re-reads; 0 = none. */
  storageReadCacheBytes: number;
}

/** What the storage engine takes from the config. */
export interface StorageSettings {
  /** Values the head holds before it is flushed (and twice that before writes wait). */
  maxHeadValues: number;
  flushIntervalMs: number;
  readCacheBytes: number;
}

/** Bytes a head value stands for in `--storage-cache-snapshot-memory-size` (a time and a float). */
const HEAD_BYTES_PER_VALUE = 16;

export function storageSettingsOf(config: ServerConfig): StorageSettings {
  return {
    maxHeadValues: Math.max(1, Math.floor(config.storageCacheSnapshotMemoryBytes / HEAD_BYTES_PER_VALUE)),
    flushIntervalMs: config.storageCacheSnapshotWriteColdDurationMs,
    readCacheBytes: config.storageReadCacheBytes,
  };
}

interface Option {
  flag: string;
  env: string;
  help: string;
  /** undefined = boolean flag */
  parse: (raw: string) => unknown;
  key: keyof ServerConfig;
  boolean?: boolean;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const SERVE_OPTIONS: readonly Option[] = [
  { flag: '--http-bind-address', env: 'SLUICE_HTTP_BIND_ADDRESS', key: 'httpBindAddress', help: 'address to listen on (default :8086)', parse: (s) => (parseBindAddress(s), s) },
  { flag: '--data-dir', env: 'SLUICE_DATA_DIR', key: 'dataDir', help: 'data directory (default ~/.sluice)', parse: (s) => resolve(s) },
  {
    flag: '--log-level',
    env: 'SLUICE_LOG_LEVEL',
    key: 'logLevel',
    help: 'fatal|error|warn|info|debug|trace|silent (default info)',
    parse: (s) => {
      if (!LOG_LEVELS.includes(s)) throw invalid(`invalid log level "${s}"; expected one of ${LOG_LEVELS.join(', ')}`);
      return s;
    },
  },
  { flag: '--max-body-size', env: 'SLUICE_MAX_BODY_SIZE', key: 'maxBodyBytes', help: 'largest decompressed request body, e.g. 64MiB; 0 = none (default 64MiB)', parse: parseSize },
  {
    flag: '--max-concurrent-writes',
    env: 'SLUICE_MAX_CONCURRENT_WRITES',
    key: 'maxConcurrentWrites',
    help: 'writes processed at once before 429; 0 = none (default 32)',
    parse: (s) => parseCount(s, '--max-concurrent-writes'),
  },
  { flag: '--metrics-require-auth', env: 'SLUICE_METRICS_REQUIRE_AUTH', key: 'metricsRequireAuth', help: 'require a token on /metrics', parse: parseBool, boolean: true },
  { flag: '--http-read-header-timeout', env: 'SLUICE_HTTP_READ_HEADER_TIMEOUT', key: 'readHeaderTimeoutMs', help: 'time to send request headers (default 10s)', parse: parseDurationMs },
  { flag: '--http-request-timeout', env: 'SLUICE_HTTP_REQUEST_TIMEOUT', key: 'requestTimeoutMs', help: 'time to send a whole request (default 5m)', parse: parseDurationMs },
  {
    flag: '--http-idle-timeout',
    env: 'SLUICE_HTTP_IDLE_TIMEOUT',
    key: 'idleTimeoutMs',
    help: "how long an idle keep-alive connection waits for the client's next request, e.g. 3m; 0 = no limit (default 3m, as InfluxDB)",
    parse: (s) => parseTimeoutMs(s, '--http-idle-timeout'),
  },
  { flag: '--shutdown-timeout', env: 'SLUICE_SHUTDOWN_TIMEOUT', key: 'shutdownTimeoutMs', help: 'wait for in-flight requests on shutdown (default 30s)', parse: parseDurationMs },
  { flag: '--tls-cert', env: 'SLUICE_TLS_CERT', key: 'tlsCertPath', help: 'PEM certificate file; with --tls-key, serve HTTPS', parse: (s) => resolve(s) },
  {
    flag: '--task-max-concurrency',
    env: 'SLUICE_TASK_MAX_CONCURRENCY',
    key: 'taskMaxConcurrency',
    help: 'task runs executing at once across all tasks (their own query controller, apart from --query-concurrency); 0 = none (default 100)',
    parse: (s) => parseCount(s, '--task-max-concurrency'),
  },
  { flag: '--query-concurrency', env: 'SLUICE_QUERY_CONCURRENCY', key: 'queryConcurrency', help: 'Flux queries executing at once; 0 = none (default 16)', parse: (s) => parseCount(s, '--query-concurrency') },
  { flag: '--query-queue-size', env: 'SLUICE_QUERY_QUEUE_SIZE', key: 'queryQueueSize', help: 'Flux queries waiting before 429 (default 64)', parse: (s) => parseCount(s, '--query-queue-size') },
  { flag: '--query-memory-bytes', env: 'SLUICE_QUERY_MEMORY_BYTES', key: 'queryMemoryBytes', help: 'memory one Flux query may hold, e.g. 512MiB; 0 = none (default 0)', parse: parseSize },
  { flag: '--query-timeout', env: 'SLUICE_QUERY_TIMEOUT', key: 'queryTimeoutMs', help: 'time one Flux query may run, e.g. 2m; 0 = none (default 0)', parse: parseDurationMs },
  { flag: '--tls-key', env: 'SLUICE_TLS_KEY', key: 'tlsKeyPath', help: 'PEM private key file; with --tls-cert, serve HTTPS', parse: (s) => resolve(s) },
  {
    flag: '--hardening-enabled',
    env: 'SLUICE_HARDENING_ENABLED',
    key: 'hardeningEnabled',
    help: 'Flux may not connect to private, loopback, link-local or unspecified addresses (host: reads/writes, http.post, requests…) (default false)',
    parse: parseBool,
    boolean: true,
  },
  {
    flag: '--remote-headers-timeout',
    env: 'SLUICE_REMOTE_HEADERS_TIMEOUT',
    key: 'remoteHeadersTimeoutMs',
    help: "time a remote host (Flux host:) has to send its response headers, e.g. 30s; 0 = none (default 30s)",
    parse: (s) => parseTimeoutMs(s, '--remote-headers-timeout'),
  },
  {
    flag: '--remote-idle-timeout',
    env: 'SLUICE_REMOTE_IDLE_TIMEOUT',
    key: 'remoteIdleTimeoutMs',
    help: "longest silence inside a remote host's (Flux host:) response body, e.g. 1m; 0 = none (default 1m)",
    parse: (s) => parseTimeoutMs(s, '--remote-idle-timeout'),
  },
  {
    flag: '--storage-cache-snapshot-memory-size',
    env: 'SLUICE_STORAGE_CACHE_SNAPSHOT_MEMORY_SIZE',
    key: 'storageCacheSnapshotMemoryBytes',
    help: 'head size at which it is written to a block, e.g. 64MiB (16 bytes a value; writes wait at twice this) (default 16MB: 1,000,000 values)',
    parse: (s) => {
      const bytes = parseSize(s);
      if (bytes < HEAD_BYTES_PER_VALUE) throw invalid(`--storage-cache-snapshot-memory-size must be at least ${HEAD_BYTES_PER_VALUE} bytes, got "${s}"`);
      return bytes;
    },
  },
  {
    flag: '--storage-cache-snapshot-write-cold-duration',
    env: 'SLUICE_STORAGE_CACHE_SNAPSHOT_WRITE_COLD_DURATION',
    key: 'storageCacheSnapshotWriteColdDurationMs',
    help: 'a head this old is written to a block (bounds WAL replay after a crash), e.g. 10m; 0 = at every maintenance turn, once a minute (default 10m)',
    parse: (s) => parseTimeoutMs(s, '--storage-cache-snapshot-write-cold-duration'),
  },
  {
    flag: '--storage-read-cache-size',
    env: 'SLUICE_STORAGE_READ_CACHE_SIZE',
    key: 'storageReadCacheBytes',
    help: 'decoded block columns kept in memory for re-reads, e.g. 256MiB; 0 = none (default 64MiB)',
    parse: parseSize,
  },
];

export function defaultConfig(): ServerConfig {
  return {
    httpBindAddress: ':8086',
    dataDir: join(homedir(), '.sluice'),
    logLevel: 'info',
    maxBodyBytes: 64 * 1024 * 1024,
    maxConcurrentWrites: 32,
    metricsRequireAuth: false,
    readHeaderTimeoutMs: 10_000,
    requestTimeoutMs: 300_000,
    idleTimeoutMs: 180_000,
    shutdownTimeoutMs: 30_000,
    tlsCertPath: '',
    tlsKeyPath: '',
    taskMaxConcurrency: 100,
    queryConcurrency: 16,
    queryQueueSize: 64,
    queryMemoryBytes: 0,
    queryTimeoutMs: 0,
    hardeningEnabled: false,
    remoteHeadersTimeoutMs: 30_000,
    remoteIdleTimeoutMs: 60_000,
    storageCacheSnapshotMemoryBytes: 16_000_000,
    storageCacheSnapshotWriteColdDurationMs: 600_000,
    storageReadCacheBytes: 64 * 1024 * 1024,
  };
}

/** What the query and task services' remote-host client takes from the config. */
export function remoteSettingsOf(config: ServerConfig): RemoteSettings {
  return {
    responseTimeoutMs: config.remoteHeadersTimeoutMs,
    idleTimeoutMs: config.remoteIdleTimeoutMs,
    addressPolicy: config.hardeningEnabled ? 'public-only' : 'open',
  };
}

/** Flags win over environment variables, which win over defaults. Unknown flags are errors. */
export function parseServeConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const config = defaultConfig() as unknown as Record<string, unknown>;
  for (const o of SERVE_OPTIONS) {
    const raw = env[o.env];
    if (raw !== undefined && raw !== '') config[o.key] = o.parse(raw);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const o = SERVE_OPTIONS.find((x) => x.flag === name);
    if (o === undefined) throw invalid(`unknown flag ${name}`);
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else if (o.boolean === true) raw = 'true';
    else {
      const next = argv[++i];
      if (next === undefined) throw invalid(`flag ${name} needs a value`);
      raw = next;
    }
    config[o.key] = o.parse(raw);
  }
  if ((config['tlsCertPath'] === '') !== (config['tlsKeyPath'] === '')) {
    throw invalid('--tls-cert and --tls-key must be given together');
  }
  return config as unknown as ServerConfig;
}

export function serveUsage(): string {
  const lines = ['Usage: sluice serve [flags]', '', 'Flags (environment variable in brackets):'];
  for (const o of SERVE_OPTIONS) lines.push(`  ${o.flag.padEnd(28)} ${o.help} [${o.env}]`);
  return lines.join('\n') + '\n';
}

/** `host:port`, `:port` (every interface) or `[v6]:port`. */
export function parseBindAddress(s: string): { host: string | undefined; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(s.trim());
  if (m === null) throw invalid(`invalid bind address "${s}"; expected host:port or :port`);
  const port = Number(m[3]);
  if (port > 65535) throw invalid(`invalid port in bind address "${s}"`);
  const host = m[1] ?? m[2];
  return { host: host === '' || host === undefined ? undefined : host, port };
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

export function parseSize(s: string): number {
  const m = /^(\d+)\s*([a-z]*)$/i.exec(s.trim());
  const unit = m === null ? undefined : SIZE_UNITS[m[2]!.toLowerCase()];
  if (m === null || unit === undefined) throw invalid(`invalid size "${s}"; expected bytes or a number with KB, MB, GB, KiB, MiB or GiB`);
  return Number(m[1]) * unit;
}

function parseCount(s: string, flag: string): number {
  if (!/^\d+$/.test(s.trim())) throw invalid(`${flag} must be a non-negative integer, got "${s}"`);
  return Number(s);
}

function parseBool(s: string): boolean {
  const v = s.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw invalid(`invalid boolean "${s}"`);
}

/**
 * A timeout flag: a whole number of milliseconds, 0 meaning none. Anything shorter than a
 * millisecond but not 0 is refused (it would round to 0 and silently mean "no limit").
 */
export function parseTimeoutMs(s: string, flag: string): number {
  if (s.trim() === '0') return 0;
  let d: ReturnType<typeof parseDuration>;
  try {
    d = parseDuration(s.trim());
  } catch {
    throw invalid(`${flag}: invalid duration "${s}"; expected e.g. 30s, 1m or 0 for none`);
  }
  if (d.negative) throw invalid(`${flag}: must not be negative, got "${s}"`);
  if (d.months !== 0) throw invalid(`${flag}: months and years are not a fixed length, got "${s}"`);
  if (d.nanoseconds !== 0n && d.nanoseconds < 1_000_000n) throw invalid(`${flag}: shorter than 1ms, got "${s}" (0 means none)`);
  const ms = d.nanoseconds / 1_000_000n;
  if (ms > 2_147_483_647n) throw invalid(`${flag}: longer than 24 days, got "${s}"`);
  return Number(ms);
}

function parseDurationMs(s: string): number {
  const d = parseDuration(s);
  if (d.months !== 0 || d.negative) throw invalid(`invalid duration "${s}"`);
  return Number(d.nanoseconds / 1_000_000n);
}
