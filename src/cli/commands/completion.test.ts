import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bashCompletion, completionTable, zshCompletion } from './completion.js';

/** Runs the generated bash function in a real bash for a command line ending in `cur`. */
function complete(words: string[]): string[] {
  const script = `${bashCompletion()}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})
COMP_CWORD=${words.length - 1}
_sluice
printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\n').filter((l) => l !== '');
}

describe('shell completion', () => {
  it.each([
    { words: ['sluice', ''], has: ['bucket', 'task', 'write', 'serve', 'completion'] },
    { words: ['sluice', 'bu'], exactly: ['bucket'] },
    { words: ['sluice', 'task', 'r'], exactly: ['retry-failed', 'run'] },
    { words: ['sluice', 'task', 'run', ''], exactly: ['list', 'retry', 'start'] },
    { words: ['sluice', 'bucket', 'create', '--re'], exactly: ['--retention'] },
    { words: ['sluice', 'write', '-b', 'x', '--err'], exactly: ['--errors-file'] },
    { words: ['sluice', 'completion', ''], exactly: ['bash', 'zsh'] },
  ])('bash: $words', ({ words, has, exactly }) => {
    const got = complete(words);
    if (exactly !== undefined) expect(got).toEqual(exactly);
    for (const w of has ?? []) expect(got).toContain(w);
  });

  it('every command path has candidates and every command offers --help', () => {
    const table = completionTable();
    for (const [path, words] of table) {
      expect(words.length, path).toBeGreaterThan(0);
      if (words.some((w) => w.startsWith('--'))) expect(words, path).toContain('--help');
    }
    expect(table.get('task log')).toEqual(['list']);
    expect(table.get('auth create')).toEqual(expect.arrayContaining(['--read-bucket', '--write-bucket', '--all-access', '--host', '--token']));
  });

  it('zsh script registers the function and lists the same paths', () => {
    const zsh = zshCompletion();
    expect(zsh.startsWith('#compdef sluice\n')).toBe(true);
    for (const path of completionTable().keys()) expect(zsh).toContain(`    "${path}") cands=(`);
  });
});
