/** `xs` rotated left by `k` (mod its length): round k of an interleaving starts with a different peer. */
export function rotated<T>(xs: readonly T[], k: number): T[] {
  if (xs.length === 0) return [];
  const s = ((k % xs.length) + xs.length) % xs.length;
  return [...xs.slice(s), ...xs.slice(0, s)];
}
