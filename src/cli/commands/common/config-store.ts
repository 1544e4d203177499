import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { conflict, invalid, notFound } from '../../../core/errors.js';

/** One connection profile, as `influx config` keeps them. */
export interface Profile {
  name: string;
  host: string;
  token: string;
  org: string;
  active: boolean;
}

/**
 * The profiles file: `$SLUICE_CONFIGS_PATH`, else `$XDG_CONFIG_HOME/sluice/configs.json`, else
 * `~/.config/sluice/configs.json`. At most one profile is active. Writes go through a temp file
 * and a rename so a crash never leaves half a file; the file is created 0600 (it holds tokens).
 */
export class ConfigStore {
  constructor(readonly path: string) {}

  static defaultPath(env: NodeJS.ProcessEnv = process.env): string {
    if (env.SLUICE_CONFIGS_PATH !== undefined && env.SLUICE_CONFIGS_PATH !== '') return env.SLUICE_CONFIGS_PATH;
    const base = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
    return join(base, 'sluice', 'configs.json');
  }

  list(): Profile[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    try {
      const parsed = JSON.parse(text) as { profiles?: Profile[] };
      return parsed.profiles ?? [];
    } catch {
      throw invalid(`config file ${this.path} is not valid JSON`);
    }
  }

  get(name: string): Profile {
    const p = this.list().find((x) => x.name === name);
    if (p === undefined) throw notFound(`config "${name}" is not found`);
    return p;
  }

  active(): Profile | undefined {
    return this.list().find((p) => p.active);
  }

  create(profile: Profile): Profile {
    if (profile.name === '') throw invalid('config name is required');
    const all = this.list();
    if (all.some((p) => p.name === profile.name)) throw conflict(`config "${profile.name}" already exists`);
    // The first profile is active even without --active, so a fresh setup just works.
    const active = profile.active || all.length === 0;
    this.save([...all.map((p) => (active ? { ...p, active: false } : p)), { ...profile, active }]);
    return { ...profile, active };
  }

  update(name: string, patch: Partial<Omit<Profile, 'name'>>): Profile {
    const all = this.list();
    const i = all.findIndex((p) => p.name === name);
    if (i < 0) throw notFound(`config "${name}" is not found`);
    const next = { ...all[i]!, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Profile;
    this.save(all.map((p, j) => (j === i ? next : patch.active === true ? { ...p, active: false } : p)));
    return next;
  }

  remove(name: string): Profile {
    const all = this.list();
    const found = all.find((p) => p.name === name);
    if (found === undefined) throw notFound(`config "${name}" is not found`);
    this.save(all.filter((p) => p.name !== name));
    return found;
  }

  private save(profiles: Profile[]): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ profiles }, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}
