export { Wal, DEFAULT_SEGMENT_SIZE_BYTES } from './wal.js';
export type { WalOptions, WalPosition, WalRecord, WalRepairReport, WalStats } from './wal.js';
export { WalCorruptionError } from './wal-corruption-error.js';
