import { describe, expect, it } from 'vitest';
import type { ExternalKey } from '../../interpreter/index.js';
import { runRows } from '../experimental/run-tables.js';
import { SECRET_STORE, type SecretStore } from './secrets.js';

const store: SecretStore = { get: async (key) => (key === 'token' ? 's3cret' : undefined) };
const externals = new Map<ExternalKey<unknown>, unknown>([[SECRET_STORE, store]]);
const program = (key: string) => `import "array"\nimport "influxdata/influxdb/secrets"\narray.from(rows: [{v: secrets.get(key: "${key}")}])`;

describe('secrets.get', () => {
  it('reads a secret of the store', async () => {
    expect(await runRows(program('token'), { externals })).toEqual([{ v: 's3cret' }]);
  });

  it.each([
    ['an unknown key', externals, /secret key "nope" not found/],
    ['no store', new Map(), /secrets.get is not available here/],
  ])('fails on %s', async (_, ext, want) => {
    await expect(runRows(program('nope'), { externals: ext })).rejects.toThrow(want);
  });
});
