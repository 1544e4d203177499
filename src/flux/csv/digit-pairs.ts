/**
 * '00' … '99' as ASCII byte pairs: the digits of n (0 ≤ n < 100) are at [2n] and [2n + 1]. Number
 * writers emit two digits per table look-up and one division by 100, not two divisions by 10.
 */
export const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 48 + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

/**
 * The four ASCII digits of n (0 ≤ n < 10,000, leading zeros included) as the int32 whose
 * little-endian bytes they are: `view.setInt32(at, DIGIT_QUADS[n], true)` writes them with one
 * store (and one bounds check) instead of four.
 */
export const DIGIT_QUADS = Int32Array.from(
  { length: 10_000 },
  (_, n) => (48 + Math.floor(n / 1000)) | ((48 + (Math.floor(n / 100) % 10)) << 8) | ((48 + (Math.floor(n / 10) % 10)) << 16) | ((48 + (n % 10)) << 24),
);
