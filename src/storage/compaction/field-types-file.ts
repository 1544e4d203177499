import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FieldType } from '../../lineprotocol/point.js';
import type { Partition } from '../head/partition.js';
import { writeFileDurably } from '../tombstone/tombstone-file.js';

/**
 * `fields.json` in a partition directory: the field type of every (measurement, field) the
 * partition has accepted, so a type survives even when all its points were deleted before the
 * WAL records that introduced it were removed (InfluxDB keeps field types per shard likewise).
 * Written atomically at flush, before WAL segments are removed; block entries carry types too.
 * Layout: `{"version":1,"measurements":{"<m>":{"<field>":<FieldType number>}}}`.
 */
export const FIELD_TYPES_FILE = 'fields.json';

export async function writeFieldTypes(part: Partition): Promise<void> {
  if (!part.fieldTypesDirty) return;
  part.fieldTypesDirty = false;
  const measurements: Record<string, Record<string, FieldType>> = {};
  for (const [m, fields] of part.fieldTypes) measurements[m] = Object.fromEntries(fields);
  await writeFileDurably(join(part.dir, FIELD_TYPES_FILE), JSON.stringify({ version: 1, measurements }));
}

export async function readFieldTypes(part: Partition): Promise<void> {
  let text: string;
  try {
    text = await readFile(join(part.dir, FIELD_TYPES_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const parsed = JSON.parse(text) as { measurements: Record<string, Record<string, FieldType>> };
  for (const [m, fields] of Object.entries(parsed.measurements)) {
    for (const [f, t] of Object.entries(fields)) if (part.fieldType(m, f) === undefined) part.setFieldType(m, f, t);
  }
  part.fieldTypesDirty = false;
}
