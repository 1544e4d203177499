/** Constants of the block file layout (docs/formats/block.md). */

/** "SLBK", at the start (header) and at the very end (footer) of every block file. */
export const BLOCK_MAGIC = Uint8Array.of(0x53, 0x4c, 0x42, 0x4b);
export const BLOCK_VERSION = 1;
export const HEADER_SIZE_BYTES = 8;
export const FOOTER_SIZE_BYTES = 32;
/** A column chunk is codec id (1 byte) + payload + CRC32C (4 bytes). */
export const CHUNK_OVERHEAD_BYTES = 5;
/** Points per chunk: small enough that per-chunk stats answer most windows, large enough to compress. */
export const DEFAULT_MAX_POINTS_PER_CHUNK = 1000;
/** Chunk stats sum 32-bit halves in doubles, exact up to 2^21 points. */
export const MAX_POINTS_PER_CHUNK = 1 << 20;
