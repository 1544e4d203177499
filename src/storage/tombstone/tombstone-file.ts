import { open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { internal } from '../../core/errors.js';
import { predicateFromJson, predicateToJson } from './predicate-json.js';
import type { Tombstone } from './tombstone.js';

/** File name of a partition's tombstones (docs/formats/tombstone.md). */
export const TOMBSTONE_FILE = 'tombstones.json';

interface TombstoneJson {
  startNs: string;
  stopNs: string;
  predicate: string;
  maxBlockSeq: number;
}

/** Reads a partition's tombstones; a missing file is none. */
export async function readTombstones(partitionDir: string): Promise<Tombstone[]> {
  let text: string;
  try {
    text = await readFile(join(partitionDir, TOMBSTONE_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  let parsed: { version: number; tombstones: TombstoneJson[] };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (e) {
    throw internal(`corrupt tombstone file in ${partitionDir}`, { cause: e });
  }
  return parsed.tombstones.map((t) => ({
    startNs: BigInt(t.startNs),
    stopNs: BigInt(t.stopNs),
    predicate: predicateFromJson(t.predicate),
    maxBlockSeq: t.maxBlockSeq,
  }));
}

/**
 * Replaces a partition's tombstone file atomically: write a temporary file, fsync it, rename it
 * over the old one, fsync the directory. A crash leaves either the old or the new list.
 */
export async function writeTombstones(partitionDir: string, tombstones: readonly Tombstone[]): Promise<void> {
  const body: { version: number; tombstones: TombstoneJson[] } = {
    version: 1,
    tombstones: tombstones.map((t) => ({
      startNs: t.startNs.toString(),
      stopNs: t.stopNs.toString(),
      predicate: predicateToJson(t.predicate),
      maxBlockSeq: t.maxBlockSeq,
    })),
  };
  await writeFileDurably(join(partitionDir, TOMBSTONE_FILE), JSON.stringify(body));
}

/** Writes `path` via a fsynced temporary file and a rename, then fsyncs the directory. */
export async function writeFileDurably(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await syncDir(dirname(path));
}

export async function syncDir(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}
