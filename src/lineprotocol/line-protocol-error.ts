import { ErrorCode, SluiceError } from '../core/errors.js';

/** One rejected line: its 1-based physical line number in the body, its text and InfluxDB's reason. */
export interface RejectedLine {
  readonly lineNumber: number;
  readonly line: string;
  readonly reason: string;
}

/**
 * A batch that failed to parse. The message is InfluxDB's, byte for byte: one
 * `unable to parse '<line>': <reason>` per rejected line, joined by `\n`, so the HTTP layer can send
 * it unchanged as `{"code":"invalid","message":…}`. `details.lines` holds the 1-based line numbers
 * (the physical line on which each rejected point starts).
 */
export class LineProtocolError extends SluiceError {
  readonly rejected: readonly RejectedLine[];

  constructor(rejected: readonly RejectedLine[]) {
    super(ErrorCode.Invalid, rejected.map((r) => `unable to parse '${r.line}': ${r.reason}`).join('\n'), {
      details: { lines: rejected.map((r) => r.lineNumber) },
    });
    this.name = 'LineProtocolError';
    this.rejected = rejected;
  }
}
