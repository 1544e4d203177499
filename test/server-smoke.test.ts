import { describe, expect, it } from 'vitest';
import { startTestServer } from './helpers/test-server.js';

describe('smoke', () => {
  it('starts, sets up, writes', async () => {
    const ts = await startTestServer({ setup: true });
    try {
      const ping = await fetch(`${ts.url}/ping`);
      expect(ping.status).toBe(204);
      const w = await fetch(`${ts.url}/api/v2/write?org=acme&bucket=telemetry&precision=s`, {
        method: 'POST',
        headers: { authorization: `Token ${ts.token}` },
        body: 'cpu,host=a v=1 1700000000\ncpu,host=a v=2 1700000010',
      });
      expect([w.status, await w.text()]).toEqual([204, '']);
    } finally {
      await ts.cleanup();
    }
  });
});
