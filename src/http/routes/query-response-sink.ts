import type { Writable } from 'node:stream';
import type { CsvByteSink } from '../../flux/csv/index.js';

/**
 * Bytes buffered in the response stream (beyond what the socket took) before the encoder is
 * made to wait for 'drain'. Above the stream's own 16 KiB mark so that the next chunk is encoded
 * while the kernel sends the previous ones, yet bounded per query.
 */
export const RESPONSE_BUFFER_BYTES = 1024 * 1024;

/**
 * The sink that streams a query's annotated CSV into an HTTP response (or the gzip stream in
 * front of it): the encoder's byte chunks are written as they are (no decode/encode round trip),
 * and the promise it returns when `RESPONSE_BUFFER_BYTES` are pending is what applies
 * backpressure to the query. (The encoder hands over a chunk per table; the small chunks of
 * e.g. `last()` need no corking: while the socket's first write is in flight, Node buffers the
 * rest of the tick's writes and sends them in one writev.) `out()` starts the response on first
 * use; `gone()` is the error a closed connection becomes.
 */
export function responseSink(out: () => Writable, closeable: Writable, gone: () => Error): CsvByteSink {
  return {
    bytes(chunk, done) {
      const w = out();
      if (closeable.destroyed) throw gone();
      // Once written out (the callback), the chunk's memory may hold the encoder's next chunk.
      w.write(chunk, (err) => {
        if (err === undefined || err === null) done();
      });
      if (w.writableLength < RESPONSE_BUFFER_BYTES) return;
      return new Promise<void>((resolve, reject) => {
        const done = (): void => {
          w.off('drain', done);
          closeable.off('close', closed);
          resolve();
        };
        const closed = (): void => {
          w.off('drain', done);
          reject(gone());
        };
        w.once('drain', done);
        closeable.once('close', closed);
      });
    },
  };
}
