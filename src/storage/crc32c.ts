/**
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum used by the WAL record
 * framing and the block files. Same definition as iSCSI (RFC 3720), ext4, LevelDB and Prometheus:
 * initial value 0xFFFFFFFF, final XOR 0xFFFFFFFF, so `crc32c("123456789") === 0xE3069283`.
 *
 * Implemented as slicing-by-8: eight 256-entry tables let the inner loop consume 8 bytes per
 * iteration with 8 independent table look-ups instead of 8 dependent ones. Node has no built-in
 * CRC32C (zlib.crc32 is the IEEE polynomial), and this path is on every WAL append and block read.
 */

const POLY = 0x82f63b78;

/** TABLE[k * 256 + b]: CRC of byte b followed by k zero bytes. */
const TABLE: Uint32Array = buildTable();

function buildTable(): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[b] = c >>> 0;
  }
  for (let b = 0; b < 256; b++) {
    let c = t[b]!;
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + b] = c >>> 0;
    }
  }
  return t;
}

/**
 * CRC32C of `data[start, end)`. Pass the result of a previous call as `previous` to checksum a
 * message given in pieces: `crc32c(b, crc32c(a)) === crc32c(concat(a, b))`. Returns an unsigned
 * 32-bit integer.
 */
export function crc32c(data: Uint8Array, previous = 0, start = 0, end = data.length): number {
  const t = TABLE;
  let crc = ~previous;
  let i = start;
  // Align nothing: reading bytes one by one is as fast as a DataView here and works for any offset.
  const stop8 = end - 8;
  while (i <= stop8) {
    const lo = crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    crc =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
    i += 8;
  }
  while (i < end) {
    crc = t[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
    i++;
  }
  return ~crc >>> 0;
}
