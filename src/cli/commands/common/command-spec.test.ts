import { describe, expect, it } from 'vitest';
import { attachValues, runCommand, type CommandSpec, type FlagSpec } from './command-spec.js';

const specs: Record<string, FlagSpec> = {
  token: { type: 'string', short: 't', help: '' },
  json: { type: 'boolean', help: '' },
  name: { type: 'string', short: 'n', help: '' },
};

describe('flag values that start with "-" (Go takes the next argument as the value)', () => {
  it.each<[string[], string[]]>([
    [['-t', '-Ab3=='], ['--token=-Ab3==']],
    [['--token', '-x', '--json'], ['--token=-x', '--json']],
    [['-n', 'plain', '-t', '--', 'pos'], ['-n', 'plain', '-t', '--', 'pos']],
    [['--json', '-t', 'v'], ['--json', '-t', 'v']],
    [['--name=-already', '-t', '-y'], ['--name=-already', '--token=-y']],
    [['--', '-t', '-z'], ['--', '-t', '-z']],
    [['--json', '-n'], ['--json', '-n']],
  ])('%j → %j', (argv, want) => {
    expect(attachValues(argv, specs)).toEqual(want);
  });

  it('a command gets a token starting with "-" given as -t TOKEN', async () => {
    let got: string | undefined;
    const cmd: CommandSpec = {
      summary: 'test',
      usage: 'sluice t [flags]',
      examples: [],
      connects: false,
      flags: { token: specs.token! },
      run: (io) => {
        got = io.flags.token as string;
        return Promise.resolve(0);
      },
    };
    const err: string[] = [];
    const code = await runCommand('sluice t', cmd, ['-t', '-Ab3_x=='], { stdout: () => undefined, stderr: (s) => void err.push(s), env: {} });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(got).toBe('-Ab3_x==');
  });
});
