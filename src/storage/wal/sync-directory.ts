import { open } from 'node:fs/promises';

/**
 * fsyncs a directory, making file creations, renames and unlinks in it durable. Linux needs this in
 * addition to fsyncing the file itself.
 */
export async function syncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
