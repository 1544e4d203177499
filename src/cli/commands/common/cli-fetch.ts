import type { FetchLike } from '../../../client/v2-client.js';
import type { Clock } from '../../../core/clock.js';
import { httpDebugFetch } from './http-debug-fetch.js';
import { nodeHttpFetch } from './node-http-fetch.js';

export interface CliFetchOptions {
  /** `--skip-verify`: do not check an https server's certificate chain or host name. */
  skipVerify: boolean;
  /** `--http-debug`: print each exchange to `debugOut`. */
  httpDebug: boolean;
  debugOut: (text: string) => void;
  clock: Clock;
}

/** Node's codes for a certificate that failed verification (chain, dates or host name). */
const CERTIFICATE_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * How the CLI's V2Client sends requests. Without `--skip-verify` the global `fetch` (certificates
 * checked; a failed check names `--skip-verify` in its message), with it node:https without
 * checks; `--http-debug` wraps either.
 */
export function cliFetch(options: CliFetchOptions): FetchLike {
  const base = options.skipVerify ? nodeHttpFetch({ rejectUnauthorized: false }) : withCertificateHint((url, init) => fetch(url, init));
  return options.httpDebug ? httpDebugFetch(base, options.debugOut, options.clock) : base;
}

function withCertificateHint(inner: FetchLike): FetchLike {
  return async (url, init) => {
    try {
      return await inner(url, init);
    } catch (e) {
      const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
      if (typeof cause?.code !== 'string' || !CERTIFICATE_ERRORS.has(cause.code)) throw e;
      const message = `TLS certificate verification failed: ${String(cause.message)} (${cause.code}); use --skip-verify to connect without verifying it`;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code: cause.code }) });
    }
  };
}
