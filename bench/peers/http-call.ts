import { Agent, request } from 'node:http';

/** One HTTP exchange, timed from the request being sent to the last byte of the body being read. */
export interface HttpReply {
  status: number;
  body: Buffer;
  /** Wall time of the whole exchange, ms. */
  elapsedMs: number;
}

export interface HttpCallOptions {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /**
   * Keep only the first `ERROR_BODY_BYTES` of a 2xx reply's body, reading and dropping the rest
   * (timed runs, whose answers were checked at the warm-up): a reply of tens of MB kept in memory
   * only made work for the harness's garbage collector while the run was timed.
   */
  dropBody?: boolean;
}

/** The head of a body a `dropBody` call keeps (for error messages). */
export const ERROR_BODY_BYTES = 64 * 1024;

/**
 * A keep-alive HTTP client for one server. Every peer is called through the same plain
 * `node:http` path (no gzip: `accept-encoding: identity`), so client costs are alike for all.
 */
export class HttpCaller {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });

  call(options: HttpCallOptions): Promise<HttpReply> {
    return new Promise<HttpReply>((resolve, reject) => {
      const startNs = process.hrtime.bigint();
      const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
      const req = request(
        options.url,
        {
          method: options.method,
          agent: this.agent,
          headers: {
            'accept-encoding': 'identity',
            ...(body === undefined ? {} : { 'content-length': String(body.length) }),
            ...options.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
          let kept = 0;
          res.on('data', (c: Buffer) => {
            if (options.dropBody === true && ok) {
              if (kept >= ERROR_BODY_BYTES) return;
              kept += c.length;
            }
            chunks.push(c);
          });
          res.on('error', reject);
          res.on('end', () => {
            const elapsedMs = Number(process.hrtime.bigint() - startNs) / 1e6;
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), elapsedMs });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Like `call`, but a status outside 2xx is an error naming the request and the body. */
  async ok(options: HttpCallOptions): Promise<HttpReply> {
    const reply = await this.call(options);
    if (reply.status < 200 || reply.status >= 300) {
      throw new Error(`${options.method} ${options.url} → ${reply.status}: ${reply.body.toString('utf8').slice(0, 500)}`);
    }
    return reply;
  }

  close(): void {
    this.agent.destroy();
  }
}
