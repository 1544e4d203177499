import { BitReader } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';
import { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { CodecId, type ColumnCodec } from './column-codec.js';
import { readPackedU32, writePackedU32 } from './packed-words.js';

/**
 * Strings with few distinct values (states, levels, hostnames): `uvarint entries`, each entry as
 * `str`, then the entry index of each value as packed words. Declines when more than half the
 * values are distinct, where a dictionary stops paying for itself.
 */
export const dictionaryStringCodec: ColumnCodec<string[]> = {
  id: CodecId.DictionaryString,
  name: 'dictionary',

  encode(values: string[], out: ByteWriter): boolean {
    const n = values.length;
    const limit = Math.max(1, n >>> 1);
    const ids = new Map<string, number>();
    const indexes = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      let id = ids.get(v);
      if (id === undefined) {
        id = ids.size;
        if (id >= limit && n > 1) return false;
        ids.set(v, id);
      }
      indexes[i] = id;
    }
    out.uvarint(ids.size);
    for (const s of ids.keys()) out.str(s);
    const bits = new BitWriter(n * 8);
    writePackedU32(bits, indexes, n);
    bits.finish(out);
    return true;
  },

  decode(payload: Uint8Array, count: number): string[] {
    const r = new ByteReader(payload);
    const entries = r.uvarint();
    if (entries > r.remaining) throw new RangeError(`dictionary of ${entries} entries exceeds the payload`);
    const dict: string[] = new Array<string>(entries);
    for (let i = 0; i < entries; i++) dict[i] = r.str();
    const indexes = new Uint32Array(count);
    readPackedU32(new BitReader(payload.subarray(r.pos)), count, indexes);
    const out: string[] = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      const s = dict[indexes[i]!];
      if (s === undefined) throw new RangeError(`dictionary index ${indexes[i]} out of ${entries}`);
      out[i] = s;
    }
    return out;
  },
};
