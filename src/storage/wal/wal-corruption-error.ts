import { ErrorCode, SluiceError } from '../../core/errors.js';

/**
 * Damage in the WAL that is not a torn tail: an acknowledged record may be lost, so Sluice refuses
 * to start rather than guess. `Wal.repair(dir)` is the explicit, lossy way out.
 */
export class WalCorruptionError extends SluiceError {
  /** Segment file name, e.g. `00000003.wal`. */
  readonly segment: string;
  readonly segmentIndex: number;
  /** Byte offset in that segment of the first bad byte (the bad record's header). */
  readonly offset: number;
  readonly reason: string;

  constructor(segment: string, segmentIndex: number, offset: number, reason: string) {
    super(ErrorCode.Internal, `WAL corruption in segment ${segment} at byte offset ${offset}: ${reason}`, {
      details: { segment, segmentIndex, offset, reason },
    });
    this.name = 'WalCorruptionError';
    this.segment = segment;
    this.segmentIndex = segmentIndex;
    this.offset = offset;
    this.reason = reason;
  }
}
