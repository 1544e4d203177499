import { ExternalKey, CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { stringValue } from '../../values/value.js';

/**
 * The secrets of the org a query or task runs as. The query path passes one bound to that org as
 * the `SECRET_STORE` external (the meta store holds the values).
 */
export interface SecretStore {
  /** The secret's value, or undefined when the org has no such key. */
  get(key: string): Promise<string | undefined>;
}

export const SECRET_STORE = new ExternalKey<SecretStore>('secret store');

const get: BuiltinSpec = {
  signature: '(key: string) => string',
  async call(args) {
    const key = args.string('key');
    const store = args.ctx.requireExternal(SECRET_STORE, 'secrets.get');
    const value = await store.get(key);
    if (value === undefined) throw Object.assign(new CallError(`secret key "${key}" not found`), { code: 'not found' });
    return stringValue(value);
  },
};

/** influxdata/influxdb/secrets: `get(key)` reads an org secret (never logged or displayed by us). */
export const secretsPackage: PackageDef = { path: 'influxdata/influxdb/secrets', builtins: { get } };
