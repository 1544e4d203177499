import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePromText } from './prometheus.js';
import { runTables } from './run-tables.js';

const METRICS = `# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="get",code="400"} 3

go_goroutines 12
latency_bucket{le="+Inf"} 5
`;

describe('parsePromText', () => {
  it.each([
    ['labels sorted, comments skipped', METRICS, 4],
    ['escaped label values', 'm{a="x\\"y\\\\z"} 1', 1],
  ])('%s', (_, text, count) => {
    expect(parsePromText(text)).toHaveLength(count);
  });

  it('reads names, labels and special values', () => {
    expect(parsePromText('m{b="2",a="x\\"y"} +Inf')).toEqual([{ name: 'm', labels: [['a', 'x"y'], ['b', '2']], value: Infinity }]);
  });

  it('rejects a malformed line', () => {
    expect(() => parsePromText('m{a=1} 2')).toThrow(/bad labels on line 1/);
  });
});

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(METRICS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('prometheus.scrape', () => {
  it('yields one table per series with labels in the key', async () => {
    const tables = await runTables(`import "experimental/prometheus"\nprometheus.scrape(url: "${base}/metrics")`);
    expect(tables).toHaveLength(4);
    const posts = tables.find((t) => t.key.method === 'post')!;
    expect(posts.key).toEqual({ _measurement: 'prometheus', _field: 'http_requests_total', url: `${base}/metrics`, code: '200', method: 'post' });
    expect(posts.rows.map((r) => [r._value, r._time])).toEqual([[1027, '2030-01-01T00:00:00Z']]);
  });
});
