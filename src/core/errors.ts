/**
 * The one error taxonomy of Sluice. Codes are InfluxDB's platform error codes, so the HTTP layer
 * can translate them to statuses in exactly one place (src/http) and clients see what InfluxDB
 * would send. Nothing outside src/http knows an HTTP status.
 */
export const ErrorCode = {
  Invalid: 'invalid',
  NotFound: 'not found',
  Conflict: 'conflict',
  UnprocessableEntity: 'unprocessable entity',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  RequestTooLarge: 'request too large',
  TooManyRequests: 'too many requests',
  Unavailable: 'unavailable',
  Internal: 'internal error',
  NotImplemented: 'not implemented',
  MethodNotAllowed: 'method not allowed',
  EmptyValue: 'empty value',
  Canceled: 'canceled',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface SluiceErrorOptions {
  cause?: unknown;
  /** Extra machine-readable detail (e.g. line numbers of rejected points). Never shown verbatim. */
  details?: Record<string, unknown>;
}

export class SluiceError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: SluiceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SluiceError';
    this.code = code;
    this.details = options.details;
  }
}

export const invalid = (message: string, options?: SluiceErrorOptions): SluiceError =>
  new SluiceError(ErrorCode.Invalid, message, options);
export const notFound = (message: string, options?: SluiceErrorOptions): SluiceError =>
  new SluiceError(ErrorCode.NotFound, message, options);
export const conflict = (message: string, options?: SluiceErrorOptions): SluiceError =>
  new SluiceError(ErrorCode.Conflict, message, options);
export const internal = (message: string, options?: SluiceErrorOptions): SluiceError =>
  new SluiceError(ErrorCode.Internal, message, options);

export function isSluiceError(e: unknown): e is SluiceError {
  return e instanceof SluiceError;
}

/** Wraps anything thrown into a SluiceError, keeping the original as `cause`. */
export function toSluiceError(e: unknown): SluiceError {
  if (e instanceof SluiceError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new SluiceError(ErrorCode.Internal, message, { cause: e });
}
