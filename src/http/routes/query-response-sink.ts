import type { Writable } from 'node:stream';
import type { CsvByteSink } from '../../flux/csv/index.js';

/**
 * Bytes buffered in the response stream (beyond what the socket took) before the encoder is
 * made to wait for 'drain'. Above the stream's own 16 KiB mark so that the next chunk is encoded
 * while the kernel sends the previous ones, yet bounded per query.
 */
export const RESPONSE_BUFFER_BYTES = 1024 * 1024;

/**
 * Chunks smaller than this (the encoder hands over one per table: a few hundred bytes for the
 * one-row tables of `last()`) are gathered up to this size and written as one, instead of each
 * costing a write and an HTTP chunk frame.
 */
export const GATHER_BYTES = 64 * 1024;

/**
 * Chunks from this size up are written as they are, never gathered: a write and a chunk frame
 * cost less than copying this many bytes (a table of a few hundred rows is one such chunk).
 */
export const DIRECT_BYTES = 16 * 1024;

/** A CsvByteSink that must be flushed before the response ends. */
export interface ResponseSink extends CsvByteSink {
  /** Writes gathered small chunks now. Call before ending the response. */
  flush(): void;
}

/**
 * The sink that streams a query's annotated CSV into an HTTP response (or the gzip stream in
 * front of it): the encoder's byte chunks are written as they are (no decode/encode round trip),
 * and the promise it returns when `RESPONSE_BUFFER_BYTES` are pending is what applies
 * backpressure to the query. Chunks below `DIRECT_BYTES` are gathered (`GATHER_BYTES`) and written when enough
 * have come, before a large one, at `flush()`, or once the event loop has run its current work
 * (so a slowly produced result still streams). `out()` starts the response on first use;
 * `gone()` is the error a closed connection becomes.
 */
export function responseSink(out: () => Writable, closeable: Writable, gone: () => Error): ResponseSink {
  let gathered: Buffer[] = [];
  /** The `done` of each gathered chunk, called once its bytes are copied out (or written). */
  let gatheredDone: (() => void)[] = [];
  let gatheredBytes = 0;
  let scheduled = false;
  const writeGathered = (): void => {
    if (gatheredBytes === 0) return;
    const chunks = gathered;
    const dones = gatheredDone;
    const size = gatheredBytes;
    gathered = [];
    gatheredDone = [];
    gatheredBytes = 0;
    const w = out();
    if (chunks.length === 1) {
      // Written as it is: its memory is free again once the stream has taken it.
      if (!closeable.destroyed) w.write(chunks[0]!, (err) => (err === undefined || err === null ? dones[0]!() : undefined));
      return;
    }
    const one = Buffer.concat(chunks, size);
    // Copied: the encoder may write its next chunks into these.
    for (const done of dones) done();
    if (!closeable.destroyed) w.write(one);
  };
  return {
    flush: writeGathered,
    bytes(chunk, done) {
      const w = out();
      if (closeable.destroyed) throw gone();
      if (chunk.length < DIRECT_BYTES) {
        gathered.push(chunk);
        gatheredDone.push(done);
        gatheredBytes += chunk.length;
        if (gatheredBytes >= GATHER_BYTES) writeGathered();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(() => {
            scheduled = false;
            writeGathered();
          });
        }
      } else {
        writeGathered();
        // Once written out (the callback), the chunk's memory may hold the encoder's next chunk.
        w.write(chunk, (err) => {
          if (err === undefined || err === null) done();
        });
      }
      if (w.writableLength < RESPONSE_BUFFER_BYTES) return;
      return new Promise<void>((resolve, reject) => {
        const drained = (): void => {
          w.off('drain', drained);
          closeable.off('close', closed);
          resolve();
        };
        const closed = (): void => {
          w.off('drain', drained);
          reject(gone());
        };
        w.once('drain', drained);
        closeable.once('close', closed);
      });
    },
  };
}
