import { FieldType } from '../../src/lineprotocol/point.js';
import type { Storage } from '../../src/storage/storage.js';

const MIN = -9223372036854775806n;
const MAX = 9223372036854775806n;

/**
 * Every point of a bucket as sorted text rows `measurement,k=v field=value timestampNs`, read
 * straight from storage: lets write/delete tests check what was stored without the query path.
 */
export async function storageRows(storage: Storage, bucketId: string): Promise<string[]> {
  const rows: string[] = [];
  for await (const batch of storage.read({ bucketId, startNs: MIN, stopNs: MAX })) {
    const tags = batch.tags.map(([k, v]) => `,${k}=${v}`).join('');
    for (let i = 0; i < batch.timestampsNs.length; i++) {
      const v = batch.values[i];
      const value =
        batch.type === FieldType.Boolean ? (v === 1 ? 'true' : 'false') : batch.type === FieldType.String ? JSON.stringify(v) : String(v);
      rows.push(`${batch.measurement}${tags} ${batch.field}=${value} ${batch.timestampsNs[i]}`);
    }
  }
  return rows.sort();
}
