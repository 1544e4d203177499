import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigStore } from './config-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-configs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const profile = (name: string, active = false) => ({ name, host: `http://${name}:8086`, token: `tok-${name}`, org: 'acme', active });

describe('ConfigStore', () => {
  it('starts empty; the first profile is active; --active moves the mark; rm removes', () => {
    const store = new ConfigStore(join(dir, 'nested', 'configs.json'));
    expect(store.list()).toEqual([]);
    expect(store.create(profile('a')).active).toBe(true);
    store.create(profile('b'));
    expect(store.active()?.name).toBe('a');
    store.create(profile('c', true));
    expect(store.list().map((p) => [p.name, p.active])).toEqual([['a', false], ['b', false], ['c', true]]);
    store.update('b', { active: true, org: 'other' });
    expect(store.list().map((p) => [p.name, p.active, p.org])).toEqual([['a', false, 'acme'], ['b', true, 'other'], ['c', false, 'acme']]);
    // An undefined patch value leaves the field alone.
    expect(store.update('a', { host: undefined }).host).toBe('http://a:8086');
    store.remove('b');
    expect(store.list().map((p) => p.name)).toEqual(['a', 'c']);
    // Tokens live here: the file is private to the user.
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
  });

  it.each([
    { name: 'duplicate name', act: (s: ConfigStore) => s.create(profile('a')), message: 'config "a" already exists' },
    { name: 'update unknown', act: (s: ConfigStore) => s.update('zz', {}), message: 'config "zz" is not found' },
    { name: 'remove unknown', act: (s: ConfigStore) => s.remove('zz'), message: 'config "zz" is not found' },
    { name: 'get unknown', act: (s: ConfigStore) => s.get('zz'), message: 'config "zz" is not found' },
  ])('refuses: $name', ({ act, message }) => {
    const store = new ConfigStore(join(dir, 'configs.json'));
    store.create(profile('a'));
    expect(() => act(store)).toThrow(message);
  });

  it.each([
    [{ SLUICE_CONFIGS_PATH: '/x/c.json' }, '/x/c.json'],
    [{ XDG_CONFIG_HOME: '/xdg' }, '/xdg/sluice/configs.json'],
  ])('default path from %j', (env, path) => {
    expect(ConfigStore.defaultPath(env)).toBe(path);
  });
});
