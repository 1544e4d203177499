/**
 * Block files are named `<minSeq>-<maxSeq>.block` (zero-padded decimal). A flush writes
 * `<s>-<s>`; compaction merges blocks `a..b` into `<a>-<b>`, and a block whose range lies inside
 * another's is a leftover input of a compaction that finished writing its output before a crash.
 */
export function blockFileName(minSeq: number, maxSeq: number): string {
  return `${String(minSeq).padStart(10, '0')}-${String(maxSeq).padStart(10, '0')}.block`;
}

export function parseBlockFileName(name: string): { minSeq: number; maxSeq: number } | undefined {
  const m = /^(\d+)-(\d+)\.block$/.exec(name);
  if (m === null) return undefined;
  return { minSeq: Number(m[1]), maxSeq: Number(m[2]) };
}
