import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import { ErrorCode, invalid, SluiceError } from '../core/errors.js';

/** Where `readBody` may take body memory from (see routes/write-body-pool.ts). */
export interface BodyMemory {
  take(sizeBytes: number): Buffer;
  give(buf: Uint8Array): void;
}

/**
 * Reads a request body into memory, gunzipping it on the fly when `Content-Encoding` is gzip or
 * x-gzip (anything else is read as identity, as InfluxDB does). `limitBytes` caps the
 * *decompressed* size, so a gzip bomb is refused after at most that many bytes are inflated.
 * Works with and without Content-Length (chunked bodies, as the JS client sends gzip).
 *
 * With `pool`, the body is read into memory from it (no per-request allocation); the caller then
 * owns the returned Buffer until it gives it back to the pool. On failure nothing is owed.
 */
export function readBody(req: IncomingMessage, limitBytes: number, pool?: BodyMemory): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (limitBytes > 0 && !isGzip(req) && Number.isFinite(declared) && declared > limitBytes) {
    return Promise.reject(tooLarge());
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    // 256 KiB inflate chunks: with zlib's 16 KiB default, each chunk is a threadpool round trip
    // and a callback, 3-4x the time of inflating a 1.8 MB write body in big chunks. The limit is
    // still checked on every chunk (so at most 256 KiB past it is ever inflated).
    const source: NodeJS.ReadableStream = isGzip(req) ? req.pipe(createGunzip({ chunkSize: 256 * 1024 })) : req;
    // With a known identity length, chunks are copied into one buffer as they arrive, so each
    // socket chunk dies young instead of living (and maybe being promoted) until a final concat.
    const known = source === req && Number.isSafeInteger(declared) && declared > 0;
    const exact = known ? (pool?.take(declared) ?? Buffer.allocUnsafe(declared)) : undefined;
    // Without a known length and with a pool: a pooled buffer that doubles as the body grows.
    let grown: Buffer | undefined;
    const fail = (e: SluiceError): void => {
      if (settled) return;
      settled = true;
      if (pool !== undefined) {
        if (exact !== undefined) pool.give(exact);
        if (grown !== undefined) pool.give(grown);
      }
      if (source !== req) {
        req.unpipe();
        (source as ReturnType<typeof createGunzip>).destroy();
      }
      discardRest(req);
      reject(e);
    };
    source.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (limitBytes > 0 && size > limitBytes) {
        fail(tooLarge());
        return;
      }
      if (exact === undefined) {
        if (pool === undefined) chunks.push(chunk);
        else {
          if (grown === undefined || size > grown.length) {
            const next = pool.take(Math.max(size, (grown?.length ?? 0) * 2));
            if (grown !== undefined) {
              grown.copy(next, 0, 0, size - chunk.length);
              pool.give(grown);
            }
            grown = next;
          }
          chunk.copy(grown, size - chunk.length);
        }
      } else if (size <= exact.length) chunk.copy(exact, size - chunk.length);
      // node:http frames bodies by Content-Length, so this cannot happen; refuse rather than guess.
      else fail(invalid('unable to read data: body longer than Content-Length'));
    });
    if (source !== req) {
      req.on('error', (e: Error) => fail(new SluiceError(ErrorCode.Canceled, `unable to read data: ${e.message}`, { cause: e })));
    }
    source.on('error', (e: Error) => {
      fail(
        source === req
          ? new SluiceError(ErrorCode.Invalid, `unable to read data: ${e.message}`, { cause: e })
          : invalid(`unable to read data: gzip: ${e.message}`, { cause: e }),
      );
    });
    req.on('aborted', () => fail(new SluiceError(ErrorCode.Canceled, 'client closed the request')));
    source.on('end', () => {
      if (settled) return;
      settled = true;
      if (exact !== undefined) resolve(size === exact.length ? exact : exact.subarray(0, size));
      else if (grown !== undefined) resolve(grown.subarray(0, size));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
  });
}

/** Most bytes read and dropped after a body was refused before the connection is cut. */
export const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Reads and drops what the client still sends after we refused its body, so the connection stays
 * usable and the client reads our answer (a 413) instead of a connection reset; Telegraf, for
 * one, splits a batch on 413 but retries it unchanged on a reset. Past `DISCARD_LIMIT_BYTES` the
 * connection is cut; the server's request timeout bounds a slow sender too.
 */
function discardRest(req: IncomingMessage): void {
  if (req.complete) return;
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_LIMIT_BYTES) req.socket.destroy();
  });
  req.resume();
}

/** Reads and parses a JSON body. An empty body is `undefined`. */
export async function readJson(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const body = await readBody(req, limitBytes);
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (e) {
    throw invalid(`failed to decode request body: ${(e as Error).message}`, { cause: e });
  }
}

export function isGzip(req: IncomingMessage): boolean {
  const enc = req.headers['content-encoding'];
  if (enc === undefined) return false;
  const v = enc.trim().toLowerCase();
  return v === 'gzip' || v === 'x-gzip';
}

function tooLarge(): SluiceError {
  return new SluiceError(ErrorCode.RequestTooLarge, 'unable to read data: points batch is too large');
}
