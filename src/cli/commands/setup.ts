import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { invalid } from '../../core/errors.js';
import { runCommand, type CommandIo, type CommandSpec } from './common/command-spec.js';
import { retentionSeconds } from './common/retention-seconds.js';

/**
 * `sluice setup`: onboards a new server (first user, org, bucket, operator token) and saves a
 * profile for it. Missing values are prompted for when stdin is a terminal; with `--force` (or
 * no terminal) nothing is asked and missing required flags are an error.
 */
export const setupSpec: CommandSpec = {
  summary: 'set up a new server (first user, org, bucket and token) and save a profile',
  usage: 'sluice setup [-u USER] [-p PASSWORD] [-o ORG] [-b BUCKET] [-r RETENTION] [-t TOKEN] [-f]',
  examples: ['sluice setup', 'sluice setup -u admin -p s3cret-pass -o acme -b telemetry -r 30d -f'],
  flags: {
    username: { type: 'string', short: 'u', help: 'name of the first user' },
    password: { type: 'string', short: 'p', help: 'password of the first user' },
    bucket: { type: 'string', short: 'b', help: 'name of the first bucket' },
    retention: { type: 'string', short: 'r', help: 'retention of the first bucket (e.g. 30d; 0 = forever)' },
    force: { type: 'boolean', short: 'f', help: 'do not prompt or ask for confirmation' },
    name: { type: 'string', short: 'n', help: 'name of the profile to save (default "default")' },
  },
  async run(io) {
    const client = io.client();
    if (await client.isOnboarded()) throw invalid('instance has already been set up');
    const interactive = !io.bool('force') && process.stdin.isTTY === true;
    const ask = interactive ? prompter() : undefined;
    try {
      const value = async (flag: string, question: string, fallback?: string, secret = false): Promise<string> => {
        // The org comes from the flag or SLUICE_ORG only: an active profile's org belongs to another server.
        const given = flag === 'org' ? (io.str('org') ?? (io.env.SLUICE_ORG || undefined)) : io.str(flag);
        if (given !== undefined) return given;
        if (ask === undefined) {
          if (fallback !== undefined) return fallback;
          throw invalid(`required flag --${flag} not set (stdin is not a terminal, or --force)`);
        }
        const answer = (await ask(`${question}${fallback === undefined ? '' : ` [${fallback}]`}: `, secret)).trim();
        if (answer === '' && fallback === undefined) throw invalid(`${flag} is required`);
        return answer === '' ? fallback! : answer;
      };
      const username = await value('username', 'Please type your primary username');
      const password = await value('password', 'Please type your password (8 characters or more)', '', true);
      const org = await value('org', 'Please type your primary organization name');
      const bucket = await value('bucket', 'Please type your primary bucket name');
      const retention = await value('retention', 'Please type your retention period in hours, or 0 for infinite', '0');
      const token = io.str('token');
      if (ask !== undefined) {
        const ok = (await ask(`Setup with these parameters? user ${username}, org ${org}, bucket ${bucket}, retention ${retention} (y/n): `)).trim();
        if (!/^y(es)?$/i.test(ok)) throw invalid('setup was canceled');
      }
      const seconds = /^\d+$/.test(retention) ? Number(retention) * 3600 : retentionSeconds(retention);
      const result = await client.setup({
        username,
        ...(password === '' ? {} : { password }),
        org,
        bucket,
        retentionPeriodSeconds: seconds,
        ...(token === undefined ? {} : { token }),
      });
      saveProfile(io, result.auth.token ?? '', org);
      io.print(result, ['User', 'Organization', 'Bucket'], (r) => [r.user.name, r.org.name, r.bucket.name]);
    } finally {
      ask?.close();
    }
  },
};

/**
 * Asks questions on stderr and reads answers from stdin line by line. Answers typed (or pasted)
 * ahead of their question are queued rather than lost, as `rl.question` would lose them; end of
 * input rejects the pending question. A `secret` answer is not echoed: readline's echo goes
 * through an output stream that is muted until the answer's line arrives.
 */
function prompter(): ((q: string, secret?: boolean) => Promise<string>) & { close(): void } {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY === true });
  const queued: string[] = [];
  const waiting: { resolve: (s: string) => void; reject: (e: Error) => void }[] = [];
  let ended = false;
  rl.on('line', (line) => {
    if (muted) {
      muted = false;
      process.stderr.write('\n');
    }
    const w = waiting.shift();
    if (w === undefined) queued.push(line);
    else w.resolve(line);
  });
  rl.on('close', () => {
    ended = true;
    for (const w of waiting.splice(0)) w.reject(invalid('setup was canceled (end of input)'));
  });
  const ask = (q: string, secret = false): Promise<string> => {
    process.stderr.write(q);
    const next = queued.shift();
    if (next !== undefined) return Promise.resolve(next);
    if (ended) return Promise.reject(invalid('setup was canceled (end of input)'));
    muted = secret;
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
  return Object.assign(ask, { close: () => rl.close() });
}

/** Saves (or refreshes) the profile so the next command needs no flags; it becomes active. */
function saveProfile(io: CommandIo, token: string, org: string): void {
  const name = io.str('name') ?? 'default';
  const exists = io.configs.list().some((p) => p.name === name);
  if (exists) io.configs.update(name, { host: io.host, token, org, active: true });
  else io.configs.create({ name, host: io.host, token, org, active: true });
}

export const setupCommand = (argv: readonly string[]): Promise<number> => runCommand('sluice setup', setupSpec, argv);
