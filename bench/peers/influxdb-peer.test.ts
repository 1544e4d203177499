import { describe, expect, it } from 'vitest';
import { influxdbConfig } from './influxdb-peer.js';

describe('influxdbConfig', () => {
  const config = influxdbConfig('/tmp/x/data', 18086, 18088);

  it('binds every listener to 127.0.0.1 and keeps all state in the data dir', () => {
    const binds = [...config.matchAll(/bind-address = "([^"]+)"/g)].map((m) => m[1]);
    expect(binds).toEqual(['127.0.0.1:18088', '127.0.0.1:18086']);
    const dirs = [...config.matchAll(/(?:dir|wal-dir) = "([^"]+)"/g)].map((m) => m[1]);
    expect(dirs).toEqual(['/tmp/x/data/meta', '/tmp/x/data/data', '/tmp/x/data/wal']);
  });

  it.each(['reporting-enabled = false', 'store-enabled = false', 'cache-snapshot-write-cold-duration = "10s"', 'compact-full-write-cold-duration = "30s"'])('sets %s', (line) => {
    expect(config).toContain(line);
  });
});
