import { describe, expect, it } from 'vitest';
import { SluiceError } from '../core/errors.js';
import { defaultConfig, parseBindAddress, parseServeConfig, parseSize } from './config.js';

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

  it.each([
    [['--nope'], 'unknown flag --nope'],
    [['--data-dir'], 'flag --data-dir needs a value'],
    [['--log-level', 'loud'], 'invalid log level "loud"; expected one of fatal, error, warn, info, debug, trace, silent'],
    [['--http-bind-address', 'localhost'], 'invalid bind address "localhost"; expected host:port or :port'],
    [['--max-concurrent-writes', '-1'], '--max-concurrent-writes must be a non-negative integer, got "-1"'],
    [['--tls-cert', '/x/cert.pem'], '--tls-cert and --tls-key must be given together'],
    [['--max-body-size', '12 parsecs'], 'invalid size "12 parsecs"; expected bytes or a number with KB, MB, GB, KiB, MiB or GiB'],
  ])('%j → %s', (argv, message) => {
    expect(() => parseServeConfig(argv, {})).toThrow(new SluiceError('invalid', message));
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
