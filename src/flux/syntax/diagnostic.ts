import { invalid, type SluiceError } from '../../core/errors.js';
import type { SourceLocation } from './ast.js';

/**
 * A problem found in Flux source. The front end never throws for bad input: it returns these,
 * all of them, with positions.
 *
 * `code` is a stable id from the message catalog (messages.ts); `message` is the text Flux itself
 * prints for the same problem, so users see the same words they would from InfluxDB.
 */
export interface Diagnostic {
  readonly code: string;
  readonly message: string;
  readonly loc: SourceLocation;
  /** The file name given to the parser ('' when none). */
  readonly file: string;
}

/** Flux's format for one error: `error @1:5-1:9: message` (with the file name before `@`). */
export function formatDiagnostic(d: Diagnostic): string {
  const { start, end } = d.loc;
  return `error ${d.file}@${start.line}:${start.column}-${end.line}:${end.column}: ${d.message}`;
}

/** Flux's format for several errors: each as above, separated by a blank line. */
export function formatDiagnostics(ds: readonly Diagnostic[]): string {
  return ds.map(formatDiagnostic).join('\n\n');
}

/**
 * The error to return for source that does not compile: code `invalid` (HTTP 400 in InfluxDB)
 * with Flux's message text; the diagnostics themselves ride along in `details`.
 */
export function diagnosticsError(ds: readonly Diagnostic[]): SluiceError {
  return invalid(formatDiagnostics(ds), { details: { diagnostics: ds } });
}
