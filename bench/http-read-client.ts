// A separate process that reads HTTP responses for benchmarks, so the client does not share the
// server's event loop (as a real client would not). Protocol over the IPC channel: the parent
// sends {url}; the child POSTs to it, reads the body to the last byte and replies
// {bytes, ms} (ms: request sent → last byte read, measured here).
import { Agent, request, type IncomingMessage } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

process.on('message', (msg: { url: string }) => {
  const t0 = process.hrtime.bigint();
  const req = request(msg.url, { method: 'POST', agent }, (res: IncomingMessage) => {
    let bytes = 0;
    res.on('data', (c: Buffer) => (bytes += c.length));
    res.on('end', () => process.send!({ bytes, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
  });
  req.on('error', (e) => process.send!({ error: e.message }));
  req.end();
});
process.on('disconnect', () => {
  agent.destroy();
});
