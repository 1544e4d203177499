/**
 * '00' … '99' as ASCII byte pairs: the digits of n (0 ≤ n < 100) are at [2n] and [2n + 1]. Number
 * writers emit two digits per table look-up and one division by 100, not two divisions by 10.
 */
export const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 48 + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));
