import { ErrorCode, SluiceError, type ErrorCode as Code } from '../../core/errors.js';
import type { SourceLocation } from '../syntax/ast.js';

/**
 * An error a Flux program reports to its user, worded and positioned as Flux does:
 * `error @2:1-2:9: undefined identifier x` for problems found before running, and
 * `runtime error @5:8-5:51: map: <message>` for a failed function call while running.
 *
 * `code` follows the SluiceError taxonomy (`invalid` for user mistakes, `internal error` for
 * ours), so the HTTP layer can translate it like any other error.
 */
export class FluxError extends SluiceError {
  /** The message without location prefix. */
  readonly detail: string;
  readonly loc: SourceLocation | undefined;
  /** The function whose call failed, for runtime errors ('' otherwise). */
  readonly fn: string;

  constructor(message: string, options: { loc?: SourceLocation; code?: Code; cause?: unknown; runtime?: boolean; fn?: string } = {}) {
    const prefix = options.runtime === true ? 'runtime error' : 'error';
    const fn = options.fn === undefined || options.fn === '' ? '' : `${options.fn}: `;
    const where = options.loc === undefined ? '' : ` @${formatLoc(options.loc)}`;
    super(options.code ?? ErrorCode.Invalid, `${prefix}${where}: ${fn}${message}`, { cause: options.cause });
    this.name = 'FluxError';
    this.detail = message;
    this.loc = options.loc;
    this.fn = options.fn ?? '';
  }
}

export function formatLoc(loc: SourceLocation): string {
  return `${loc.start.line}:${loc.start.column}-${loc.end.line}:${loc.end.column}`;
}

/** An error raised inside a builtin, before it knows where it was called from. */
export class CallError extends SluiceError {
  constructor(message: string, code: Code = ErrorCode.Invalid) {
    super(code, message);
    this.name = 'CallError';
  }
}

/**
 * Positions an error thrown while calling `fn` at `loc`, unless it already has a position.
 * Errors that are not ours (a bug) keep their message but become `internal error`.
 */
export function atCall(e: unknown, loc: SourceLocation, fn: string): FluxError {
  if (e instanceof FluxError) return e;
  if (e instanceof SluiceError) {
    return new FluxError(e.message, { loc, code: e.code, cause: e, runtime: true, fn });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new FluxError(message, { loc, code: ErrorCode.Internal, cause: e, runtime: true, fn });
}
