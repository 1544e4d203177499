import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API tokens. A token is 32 random bytes (256 bits) in base64url; only its SHA-256 is stored, so a
 * copy of the metadata DB does not hand out working tokens. The plaintext exists once, in the
 * response that creates it.
 */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Hex SHA-256 of the token's UTF-8 bytes: the lookup key in the authorizations table. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares two hex digests in time independent of where they differ. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
