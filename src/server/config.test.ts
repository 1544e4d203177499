import { describe, expect, it } from 'vitest';
import { SluiceError } from '../core/errors.js';
import { defaultConfig, parseBindAddress, parseServeConfig, parseSize, remoteSettingsOf, serveUsage, storageSettingsOf } from './config.js';

describe('parseServeConfig', () => {
  it('uses defaults, then env, then flags', () => {
    expect(parseServeConfig([], {})).toEqual(defaultConfig());
    const env = { SLUICE_HTTP_BIND_ADDRESS: '127.0.0.1:9000', SLUICE_MAX_BODY_SIZE: '1MiB', SLUICE_METRICS_REQUIRE_AUTH: 'true' };
    const c = parseServeConfig(['--http-bind-address', ':9999', '--data-dir=/tmp/x', '--max-concurrent-writes', '4', '--shutdown-timeout=2s'], env);
    expect(c).toMatchObject({
      httpBindAddress: ':9999',
      dataDir: '/tmp/x',
      maxBodyBytes: 1024 * 1024,
      maxConcurrentWrites: 4,
      metricsRequireAuth: true,
      shutdownTimeoutMs: 2000,
    });
    expect(parseServeConfig(['--metrics-require-auth'], {}).metricsRequireAuth).toBe(true);
  });

  it('keeps idle connections 3 minutes by default, as InfluxDB; --http-idle-timeout 0 keeps them', () => {
    expect(defaultConfig().idleTimeoutMs).toBe(180_000);
    expect(parseServeConfig(['--http-idle-timeout', '90s'], {}).idleTimeoutMs).toBe(90_000);
    expect(parseServeConfig([], { SLUICE_HTTP_IDLE_TIMEOUT: '0' }).idleTimeoutMs).toBe(0);
  });

  it.each([
    [['--nope'], 'unknown flag --nope'],
    [['--data-dir'], 'flag --data-dir needs a value'],
    [['--log-level', 'loud'], 'invalid log level "loud"; expected one of fatal, error, warn, info, debug, trace, silent'],
    [['--http-bind-address', 'localhost'], 'invalid bind address "localhost"; expected host:port or :port'],
    [['--max-concurrent-writes', '-1'], '--max-concurrent-writes must be a non-negative integer, got "-1"'],
    [['--tls-cert', '/x/cert.pem'], '--tls-cert and --tls-key must be given together'],
    [['--max-body-size', '12 parsecs'], 'invalid size "12 parsecs"; expected bytes or a number with KB, MB, GB, KiB, MiB or GiB'],
    [['--remote-headers-timeout', 'soon'], '--remote-headers-timeout: invalid duration "soon"; expected e.g. 30s, 1m or 0 for none'],
    [['--remote-headers-timeout', '30'], '--remote-headers-timeout: invalid duration "30"; expected e.g. 30s, 1m or 0 for none'],
    [['--remote-idle-timeout=-5s'], '--remote-idle-timeout: must not be negative, got "-5s"'],
    [['--remote-idle-timeout', '1mo'], '--remote-idle-timeout: months and years are not a fixed length, got "1mo"'],
    [['--remote-idle-timeout', '500us'], '--remote-idle-timeout: shorter than 1ms, got "500us" (0 means none)'],
    [['--remote-idle-timeout', '30d'], '--remote-idle-timeout: longer than 24 days, got "30d"'],
    [['--http-idle-timeout', 'forever'], '--http-idle-timeout: invalid duration "forever"; expected e.g. 30s, 1m or 0 for none'],
    [['--hardening-enabled=maybe'], 'invalid boolean "maybe"'],
    [['--storage-cache-snapshot-memory-size', '8'], '--storage-cache-snapshot-memory-size must be at least 16 bytes, got "8"'],
    [['--storage-cache-snapshot-memory-size', 'lots'], 'invalid size "lots"; expected bytes or a number with KB, MB, GB, KiB, MiB or GiB'],
    [['--storage-cache-snapshot-write-cold-duration', '10'], '--storage-cache-snapshot-write-cold-duration: invalid duration "10"; expected e.g. 30s, 1m or 0 for none'],
    [['--storage-read-cache-size', '-1MiB'], 'invalid size "-1MiB"; expected bytes or a number with KB, MB, GB, KiB, MiB or GiB'],
  ])('%j → %s', (argv, message) => {
    expect(() => parseServeConfig(argv, {})).toThrow(new SluiceError('invalid', message));
  });
});

describe('remote host flags', () => {
  it('default: open addresses, 30s for headers, 1m of body silence', () => {
    expect(remoteSettingsOf(parseServeConfig([], {}))).toEqual({ responseTimeoutMs: 30_000, idleTimeoutMs: 60_000, addressPolicy: 'open' });
  });

  it.each<[string[], Record<string, string>, ReturnType<typeof remoteSettingsOf>]>([
    [['--hardening-enabled'], {}, { responseTimeoutMs: 30_000, idleTimeoutMs: 60_000, addressPolicy: 'public-only' }],
    [['--hardening-enabled=false'], { SLUICE_HARDENING_ENABLED: 'true' }, { responseTimeoutMs: 30_000, idleTimeoutMs: 60_000, addressPolicy: 'open' }],
    [[], { SLUICE_HARDENING_ENABLED: 'true', SLUICE_REMOTE_IDLE_TIMEOUT: '2m' }, { responseTimeoutMs: 30_000, idleTimeoutMs: 120_000, addressPolicy: 'public-only' }],
    [['--remote-headers-timeout', '1m30s', '--remote-idle-timeout=250ms'], {}, { responseTimeoutMs: 90_000, idleTimeoutMs: 250, addressPolicy: 'open' }],
    [['--remote-headers-timeout', '0', '--remote-idle-timeout=0s'], {}, { responseTimeoutMs: 0, idleTimeoutMs: 0, addressPolicy: 'open' }],
  ])('%j with env %j', (argv, env, expected) => {
    expect(remoteSettingsOf(parseServeConfig(argv, env))).toEqual(expected);
  });

  it('every flag is in the help', () => {
    const help = serveUsage();
    for (const f of ['--hardening-enabled', '--remote-headers-timeout', '--remote-idle-timeout']) expect(help).toContain(f);
  });
});

describe('storage flags', () => {
  it('default: a head of 1,000,000 values (16 MB), flushed at 10 minutes old; a 64 MiB read cache', () => {
    expect(storageSettingsOf(parseServeConfig([], {}))).toEqual({ maxHeadValues: 1_000_000, flushIntervalMs: 600_000, readCacheBytes: 64 * 1024 * 1024 });
  });

  it.each<[string[], Record<string, string>, ReturnType<typeof storageSettingsOf>]>([
    [['--storage-cache-snapshot-memory-size', '64MiB'], {}, { maxHeadValues: 4 * 1024 * 1024, flushIntervalMs: 600_000, readCacheBytes: 64 * 1024 * 1024 }],
    [['--storage-cache-snapshot-memory-size=100'], {}, { maxHeadValues: 6, flushIntervalMs: 600_000, readCacheBytes: 64 * 1024 * 1024 }],
    [[], { SLUICE_STORAGE_CACHE_SNAPSHOT_WRITE_COLD_DURATION: '1h', SLUICE_STORAGE_READ_CACHE_SIZE: '0' }, { maxHeadValues: 1_000_000, flushIntervalMs: 3_600_000, readCacheBytes: 0 }],
    [['--storage-cache-snapshot-write-cold-duration', '0', '--storage-read-cache-size', '1GiB'], { SLUICE_STORAGE_READ_CACHE_SIZE: '0' }, { maxHeadValues: 1_000_000, flushIntervalMs: 0, readCacheBytes: 1024 ** 3 }],
  ])('%j with env %j', (argv, env, expected) => {
    expect(storageSettingsOf(parseServeConfig(argv, env))).toEqual(expected);
  });

  it('every flag is in the help', () => {
    const help = serveUsage();
    for (const f of ['--storage-cache-snapshot-memory-size', '--storage-cache-snapshot-write-cold-duration', '--storage-read-cache-size']) expect(help).toContain(f);
  });
});

describe('parseBindAddress', () => {
  it.each([
    [':8086', { host: undefined, port: 8086 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['localhost:80', { host: 'localhost', port: 80 }],
    ['[::1]:8086', { host: '::1', port: 8086 }],
  ])('%s', (s, expected) => {
    expect(parseBindAddress(s)).toEqual(expected);
  });
});

describe('parseSize', () => {
  it.each([
    ['0', 0],
    ['512', 512],
    ['10KB', 10_000],
    ['64MiB', 64 * 1024 * 1024],
    ['1 GiB', 1024 ** 3],
  ])('%s → %i', (s, n) => {
    expect(parseSize(s)).toBe(n);
  });
});
