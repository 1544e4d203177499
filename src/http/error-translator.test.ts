import { describe, expect, it } from 'vitest';
import { ErrorCode, SluiceError } from '../core/errors.js';
import { translateError } from './error-translator.js';

describe('translateError', () => {
  it.each([
    [ErrorCode.Invalid, 400],
    [ErrorCode.EmptyValue, 400],
    [ErrorCode.Unauthorized, 401],
    [ErrorCode.Forbidden, 403],
    [ErrorCode.NotFound, 404],
    [ErrorCode.MethodNotAllowed, 405],
    [ErrorCode.RequestTooLarge, 413],
    [ErrorCode.Conflict, 422],
    [ErrorCode.UnprocessableEntity, 422],
    [ErrorCode.TooManyRequests, 429],
    [ErrorCode.Canceled, 499],
    [ErrorCode.Internal, 500],
    [ErrorCode.NotImplemented, 501],
    [ErrorCode.Unavailable, 503],
  ])('%s → %i', (code, status) => {
    const t = translateError(new SluiceError(code, 'm'));
    expect(t.status).toBe(status);
    expect(t.body).toEqual({ code, message: 'm' });
    expect(t.headers['x-platform-error-code']).toBe(code);
    expect(t.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(t.headers['retry-after']).toBe(status === 429 || status === 503 ? '1' : undefined);
  });

  it('uses a retry delay given by the error', () => {
    const t = translateError(new SluiceError(ErrorCode.TooManyRequests, 'slow down', { details: { retryAfterSeconds: 7 } }));
    expect(t.headers['retry-after']).toBe('7');
  });

  it('hides foreign errors and marks them for the log', () => {
    const t = translateError(new TypeError('x is undefined'));
    expect([t.status, t.body.message, t.serverFault]).toEqual([500, 'An internal error has occurred - check server logs', true]);
  });
});
