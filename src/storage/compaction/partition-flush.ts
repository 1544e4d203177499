import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Bucket } from '../head/bucket.js';
import type { Partition } from '../head/partition.js';
import { mergeColumns } from '../read/merge-columns.js';
import { deletedRanges } from '../read/series-reader.js';
import { removeRanges } from '../tombstone/apply-tombstones.js';
import { syncDir, writeTombstones } from '../tombstone/tombstone-file.js';
import type { Tombstone } from '../tombstone/tombstone.js';
import { blockFileName, parseBlockFileName } from './block-file-name.js';
import { writeFieldTypes } from './field-types-file.js';
import type { BlockSeriesInput, BlockStore, StoredBlock } from './stored-block.js';

/** Writes the frozen head `seq` of `part` as block `<seq>-<seq>` and swaps it in. */
export async function flushPartition(store: BlockStore, bucket: Bucket, part: Partition, seq: number): Promise<void> {
  const frozen = part.frozen.find((f) => f.seq === seq);
  if (frozen === undefined) return;
  const series: BlockSeriesInput[] = [];
  for (const [id, column] of frozen.columns) {
    const fs = bucket.index.byId(id);
    series.push({ storageKey: fs.storageKey, measurement: fs.entry.measurement, tags: fs.entry.tags, field: fs.field, column });
  }
  series.sort((a, b) => (a.storageKey < b.storageKey ? -1 : a.storageKey > b.storageKey ? 1 : 0));
  await mkdir(part.dir, { recursive: true });
  const path = join(part.dir, blockFileName(seq, seq));
  const block = await store.write(path, seq, series, { bucketId: bucket.id, partitionStartNs: part.startNs, partitionEndNs: part.endNs, replacedSeqs: [] });
  if (part.dropped) {
    part.retireFrozen(frozen);
    await block.close();
    await rm(path, { force: true });
    return;
  }
  insertBlock(part, block);
  part.retireFrozen(frozen);
  await writeFieldTypes(part);
}

/** Default most points one compaction merges (decoded, about 16 bytes each). */
export const DEFAULT_COMPACTION_BUDGET_VALUES = 16_000_000;

/**
 * Merges a run of consecutive blocks of `part` (by seq) into one, applying the tombstones that
 * touch them and purging those that no remaining block needs. The run is the oldest one whose
 * points fit `budgetValues` (the merge holds them in memory), or a single block with tombstones
 * to apply. The output keeps the run's newest seq, so it ranks exactly as its inputs did against
 * the blocks around it and the heads. Only runs when no head of the partition is being flushed:
 * then every tombstone that exists now predates every block written later.
 */
export async function compactPartition(store: BlockStore, bucket: Bucket, part: Partition, budgetValues = DEFAULT_COMPACTION_BUDGET_VALUES): Promise<void> {
  if (part.frozen.length > 0 || part.blocks.length === 0 || part.compacting) return;
  const run = chooseRun(part, budgetValues);
  if (run === undefined) return;
  part.compacting = true;
  try {
    await compactInputs(store, bucket, part, run);
  } finally {
    part.compacting = false;
  }
}

function chooseRun(part: Partition, budgetValues: number): StoredBlock[] | undefined {
  const blocks = part.blocks;
  const counts = blocks.map((b) => {
    let n = 0;
    for (const e of b.entries()) n += e.count;
    return n;
  });
  for (let i = 0; i < blocks.length; i++) {
    let j = i;
    let total = counts[i]!;
    while (j + 1 < blocks.length && total + counts[j + 1]! <= budgetValues) total += counts[++j]!;
    if (j > i) return blocks.slice(i, j + 1);
  }
  // A lone block is worth rewriting only for a tombstone no other block needs: compacting it
  // then purges that tombstone (else the next round would choose it again).
  const purgeable = (b: StoredBlock): boolean =>
    part.tombstones.some((t) => t.maxBlockSeq >= b.seq && blocks.every((o) => o === b || o.seq > t.maxBlockSeq));
  const touched = blocks.find(purgeable);
  return touched === undefined ? undefined : [touched];
}

async function compactInputs(store: BlockStore, bucket: Bucket, part: Partition, inputs: StoredBlock[]): Promise<void> {
  // Pinned so retention cannot close them mid-merge; released before they are closed below.
  for (const b of inputs) b.pin();
  let result: { path: string; wrote: boolean; applied: readonly Tombstone[] } | undefined;
  try {
    result = await mergeInto(store, bucket, part, inputs);
  } finally {
    for (const b of inputs) b.unpin();
  }
  if (result === undefined) return;
  for (const b of inputs) {
    await b.close();
    // The output may reuse an input's name (a lone block rewritten); it replaced that file.
    if (!result.wrote || b.path !== result.path) await rm(b.path, { force: true });
  }
  await syncDir(part.dir);
  // An applied tombstone goes once no block outside the run is old enough for it; one kept is
  // harmless to the output: applying a delete twice removes nothing more.
  const others = part.blocks.filter((b) => !result.wrote || b.path !== result.path);
  const needed = (t: Tombstone): boolean => others.some((b) => b.seq <= t.maxBlockSeq);
  if (part.tombstones.some((t) => result.applied.includes(t) && !needed(t))) {
    await part.updateTombstones(
      (current) => current.filter((t) => !result.applied.includes(t) || needed(t)),
      (next) => writeTombstones(part.dir, next),
    );
  }
}

/** Writes the merged block and swaps it in; returns undefined when the partition went away. */
async function mergeInto(
  store: BlockStore,
  bucket: Bucket,
  part: Partition,
  inputs: StoredBlock[],
): Promise<{ path: string; wrote: boolean; applied: readonly Tombstone[] } | undefined> {
  const applied: readonly Tombstone[] = [...part.tombstones];
  const keys = new Set<string>();
  for (const b of inputs) for (const e of b.entries()) keys.add(e.storageKey);
  const series: BlockSeriesInput[] = [];
  for (const key of [...keys].sort()) {
    const fs = bucket.index.byKey(key);
    if (fs === undefined) continue;
    const cols = [];
    for (const b of inputs) {
      if (b.entry(key) === undefined) continue;
      cols.push(removeRanges(await b.read(key), deletedRanges(applied, b.seq, fs)));
    }
    const column = mergeColumns(cols);
    if (column === undefined || column.timestampsNs.length === 0) continue;
    series.push({ storageKey: key, measurement: fs.entry.measurement, tags: fs.entry.tags, field: fs.field, column });
  }
  const minSeq = Math.min(...inputs.map((b) => parseBlockFileName(basename(b.path))?.minSeq ?? b.seq));
  const maxSeq = inputs[inputs.length - 1]!.seq;
  const path = join(part.dir, blockFileName(minSeq, maxSeq));
  const replacedSeqs = inputs.map((b) => b.seq);
  const options = { bucketId: bucket.id, partitionStartNs: part.startNs, partitionEndNs: part.endNs, replacedSeqs };
  const output = series.length > 0 ? await store.write(path, maxSeq, series, options) : undefined;
  if (part.dropped) {
    await output?.close();
    await rm(path, { force: true });
    return undefined;
  }
  part.blocks = part.blocks.filter((b) => !inputs.includes(b));
  if (output !== undefined) insertBlock(part, output);
  part.version++;
  return { path, wrote: output !== undefined, applied };
}

function insertBlock(part: Partition, block: StoredBlock): void {
  part.blocks.push(block);
  part.blocks.sort((a, b) => a.seq - b.seq);
}
