import { BitReader } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';
import type { ByteWriter } from './byte-writer.js';
import { CodecId, type ColumnCodec } from './column-codec.js';
import { readPackedU32, writePackedU32 } from './packed-words.js';

/**
 * Any strings: the UTF-8 byte length of each value as packed words, then all the UTF-8 bytes.
 * Strings are stored as UTF-8 (what line protocol carries), so a lone UTF-16 surrogate, which
 * line protocol cannot produce, would come back as U+FFFD.
 */
export const rawStringCodec: ColumnCodec<string[]> = {
  id: CodecId.RawString,
  name: 'raw',

  encode(values: string[], out: ByteWriter): boolean {
    const n = values.length;
    const lengths = new Uint32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const len = Buffer.byteLength(values[i]!, 'utf8');
      lengths[i] = len;
      total += len;
    }
    const bits = new BitWriter(n * 8);
    writePackedU32(bits, lengths, n);
    bits.finish(out);
    out.ensure(total);
    const raw = out.raw();
    const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.length);
    let at = out.length;
    for (let i = 0; i < n; i++) at += buf.write(values[i]!, at, 'utf8');
    out.truncate(at);
    return true;
  },

  decode(payload: Uint8Array, count: number): string[] {
    const lengths = new Uint32Array(count);
    const bits = new BitReader(payload);
    readPackedU32(bits, count, lengths);
    const buf = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
    let at = bits.consumedBytes;
    const out: string[] = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      const end = at + lengths[i]!;
      if (end > buf.length) throw new RangeError(`string ${i} runs past the payload`);
      out[i] = buf.toString('utf8', at, end);
      at = end;
    }
    return out;
  },
};
