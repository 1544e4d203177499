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

/**
 * TABLE[k * 256 + b]: CRC of byte b followed by k zero bytes. Int32Array, not Uint32Array: values
 * above 2^31 would leave V8's small-integer representation and slow the XOR chain down.
 */
const TABLE: Int32Array = buildTable();

/** Whole 32-bit words can be read through an Int32Array view only on a little-endian machine. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function buildTable(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[b] = c;
  }
  for (let b = 0; b < 256; b++) {
    let c = t[b]!;
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + b] = c;
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
  if (LITTLE_ENDIAN) {
    // Bytes up to a 4-byte boundary of the underlying buffer, then 8 bytes per step (wordSteps).
    while (i < end && ((data.byteOffset + i) & 3) !== 0) {
      crc = byteStep(t, crc, data[i]!);
      i++;
    }
    const words = ((end - i) >>> 3) << 1;
    if (words > 0) {
      crc = wordSteps(t, crc, new Int32Array(data.buffer, data.byteOffset + i, words));
      i += words * 4;
    }
  }
  while (i < end) {
    crc = byteStep(t, crc, data[i]!);
    i++;
  }
  return ~crc >>> 0;
}

/**
 * 8 bytes per step (two aligned words read through one Int32Array view, faster than assembling
 * words from bytes) over all of `w` (an even number of words).
 *
 * A function of its own so that nothing follows its hot loop but the return: V8 compiles a long
 * loop while it runs (on-stack replacement), and code after the loop that had never run had no
 * type feedback. Inside crc32c, every later call entered the cached OSR code, left the loop and
 * deoptimised at `i += words * 4` (1,456 times, and 643 more at the return's `>>> 0`, on a fresh
 * server's first read of the peer benchmark's blocks).
 */
function wordSteps(t: Int32Array, crc: number, w: Int32Array): number {
  const words = w.length;
  for (let j = 0; j < words; j += 2) {
    const lo = crc ^ w[j]!;
    const hi = w[j + 1]!;
    crc =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + (hi & 0xff)]! ^
      t[512 + ((hi >>> 8) & 0xff)]! ^
      t[256 + ((hi >>> 16) & 0xff)]! ^
      t[hi >>> 24]!;
  }
  return crc;
}

/**
 * One byte into the CRC. Both byte loops (the head before the aligned words, the tail after them)
 * call this, so they share its type feedback: written out in each loop, the tail's operations had
 * none when V8 first optimised crc32c on an aligned message, and every later message with a tail
 * deoptimised it (~87 times while loading the peer benchmark's data).
 */
function byteStep(t: Int32Array, crc: number, byte: number): number {
  return t[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
}
