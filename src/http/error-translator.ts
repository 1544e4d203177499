import { ErrorCode, isSluiceError, type SluiceError } from '../core/errors.js';

/**
 * The one place where error codes become HTTP statuses (reference §5). `conflict` is 422, as in
 * InfluxDB, not 409.
 */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.Invalid]: 400,
  [ErrorCode.EmptyValue]: 400,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.MethodNotAllowed]: 405,
  [ErrorCode.RequestTooLarge]: 413,
  [ErrorCode.Conflict]: 422,
  [ErrorCode.UnprocessableEntity]: 422,
  [ErrorCode.TooManyRequests]: 429,
  [ErrorCode.Canceled]: 499,
  [ErrorCode.Internal]: 500,
  [ErrorCode.NotImplemented]: 501,
  [ErrorCode.Unavailable]: 503,
};

/** Seconds a client should wait before retrying, sent as `Retry-After` on 429 and 503. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: { code: string; message: string };
  /** True for errors the operator should see in full in the log (5xx). */
  serverFault: boolean;
}

/**
 * Translates anything thrown by a handler. A SluiceError keeps its code and message; anything
 * else is an internal error whose detail goes to the log, never to the client.
 */
export function translateError(e: unknown): ErrorResponse {
  if (!isSluiceError(e)) {
    return build(ErrorCode.Internal, 'An internal error has occurred - check server logs', undefined);
  }
  return build(e.code, e.message, e);
}

function build(code: ErrorCode, message: string, e: SluiceError | undefined): ErrorResponse {
  const status = STATUS_BY_CODE[code] ?? 500;
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-platform-error-code': code,
  };
  if (status === 429 || status === 503) {
    const retry = e?.details?.['retryAfterSeconds'];
    headers['retry-after'] = String(typeof retry === 'number' ? retry : DEFAULT_RETRY_AFTER_SECONDS);
  }
  if (code === ErrorCode.MethodNotAllowed && Array.isArray(e?.details?.['allow'])) {
    headers['allow'] = (e.details['allow'] as string[]).join(', ');
  }
  return { status, headers, body: { code, message }, serverFault: status >= 500 && status !== 503 };
}
