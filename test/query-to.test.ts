import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/** to() through the HTTP API: batched durable writes, read back; a refused batch fails the query. */
let ts: TestServer;

beforeAll(async () => {
  ts = await startTestServer({ setup: true });
});
afterAll(async () => {
  await ts.cleanup();
});

async function query(flux: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${ts.url}/api/v2/query?org=acme`, {
    method: 'POST',
    headers: { authorization: `Token ${ts.token}`, 'content-type': 'application/vnd.flux', accept: 'application/csv' },
    body: flux,
  });
  return { status: res.status, body: await res.text() };
}

const rows = (n: number, field: string, value: (i: number) => string): string =>
  Array.from({ length: n }, (_, i) => `{_time: ${new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString()}, _measurement: "m", _field: "${field}", host: "h${i % 3}", _value: ${value(i)}}`).join(', ');

describe('to()', () => {
  it('writes every row (fields of one series merged into points) and reads them back', async () => {
    const write = await query(
      `import "array"\narray.from(rows: [${rows(300, 'a', (i) => `${i}.5`)}]) |> group(columns: ["host", "_field"]) |> to(bucket: "telemetry")\n` +
        `array.from(rows: [${rows(300, 'b', (i) => `${i}`)}]) |> group(columns: ["host", "_field"]) |> to(bucket: "telemetry")`,
    );
    expect(write.status).toBe(200);
    const read = await query('from(bucket: "telemetry") |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-02T00:00:00Z) |> filter(fn: (r) => r._measurement == "m") |> count() |> group(columns: ["_field"]) |> sum()');
    expect(read.body).toMatch(/,a,300\r\n/);
    expect(read.body).toMatch(/,b,300\r\n/);
  });

  it('fails the query when storage refuses the batch (a field type conflict)', async () => {
    const res = await query(`import "array"\narray.from(rows: [${rows(3, 'a', () => '"text"')}]) |> to(bucket: "telemetry")`);
    // The refusal arrives after the tables were encoded: an error table, or an error response.
    expect(`${res.status} ${res.body}`).toMatch(/partial write: .*dropped=3/);
  });
});
