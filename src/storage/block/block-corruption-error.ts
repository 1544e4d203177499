import { ErrorCode, SluiceError } from '../../core/errors.js';

/**
 * A block file failed a structural or checksum check. The block's bytes are never returned as
 * data once this is raised; the engine reports the block (and may quarantine it) instead.
 */
export class BlockCorruptionError extends SluiceError {
  readonly path: string;
  /** File offset of the structure that failed (chunk, index or footer start). */
  readonly offsetBytes: number;
  readonly reason: string;

  constructor(path: string, offsetBytes: number, reason: string, cause?: unknown) {
    super(ErrorCode.Internal, `block ${path} is corrupt at byte ${offsetBytes}: ${reason}`, cause === undefined ? {} : { cause });
    this.name = 'BlockCorruptionError';
    this.path = path;
    this.offsetBytes = offsetBytes;
    this.reason = reason;
  }
}
