import type { Writable } from 'node:stream';
import type { CsvByteSink } from '../../flux/csv/index.js';

/**
 * Bytes buffered in the response stream (beyond what the socket took) before the encoder is
 * made to wait. Above the stream's own 16 KiB mark so that the next chunk is encoded while the
 * kernel sends the previous ones, yet bounded per query.
 */
export const RESPONSE_BUFFER_BYTES = 1024 * 1024;

/**
 * A waiting encoder resumes once the stream holds no more than this, not when it is empty
 * ('drain'): the rest is sent while the next chunks are encoded. Waiting for 'drain' left the
 * socket and the encoder taking turns, each idle while the other worked: four waits of 0.4-2 ms
 * per answer of the peer benchmark's (a) (4.9 MB).
 */
export const RESUME_BELOW_BYTES = 256 * 1024;

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
 * and the promise it returns when `RESPONSE_BUFFER_BYTES` are pending (resolved once at most
 * `RESUME_BELOW_BYTES` are) is what applies backpressure to the query. Chunks below
 * `DIRECT_BYTES` are gathered (`GATHER_BYTES`) and written when enough have come, before a large
 * one, at `flush()`, or once the event loop has run its current work
 * (so a slowly produced result still streams). `out()` starts the response on first use;
 * `gone()` is the error a closed connection becomes.
 */
export function responseSink(out: () => Writable, closeable: Writable, gone: () => Error): ResponseSink {
  let gathered: Buffer[] = [];
  /** The `done` of each gathered chunk, called once its bytes are copied out (or written). */
  let gatheredDone: (() => void)[] = [];
  let gatheredBytes = 0;
  let scheduled = false;
  /** Resolves the encoder's wait; set while it waits. */
  let resume: (() => void) | undefined;
  /** After every write the stream finishes: resumes a waiting encoder once little is left. */
  const written = (): void => {
    if (resume !== undefined && out().writableLength <= RESUME_BELOW_BYTES) resume();
  };
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
      if (!closeable.destroyed) {
        w.write(chunks[0]!, (err) => {
          if (err !== undefined && err !== null) return;
          dones[0]!();
          written();
        });
      }
      return;
    }
    const one = Buffer.concat(chunks, size);
    // Copied: the encoder may write its next chunks into these.
    for (const done of dones) done();
    if (!closeable.destroyed) w.write(one, written);
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
          if (err !== undefined && err !== null) return;
          done();
          written();
        });
      }
      if (w.writableLength < RESPONSE_BUFFER_BYTES) return;
      return new Promise<void>((resolve, reject) => {
        const proceed = (): void => {
          finish();
          resolve();
        };
        const closed = (): void => {
          finish();
          reject(gone());
        };
        const finish = (): void => {
          resume = undefined;
          w.off('drain', proceed);
          closeable.off('close', closed);
        };
        resume = proceed;
        // 'drain' too: the last write's callback can come before the stream counts it as sent.
        w.once('drain', proceed);
        closeable.once('close', closed);
      });
    },
  };
}
