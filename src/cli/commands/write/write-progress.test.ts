import { describe, expect, it } from 'vitest';
import { formatBytes, WriteProgress } from './write-progress.js';

describe('WriteProgress', () => {
  it('redraws at most once per interval and finishes with a newline', () => {
    let nowMs = 1000;
    const drawn: string[] = [];
    const p = new WriteProgress((t) => drawn.push(t), () => nowMs, 200);
    nowMs = 1500;
    p.add(1000, 50_000);
    nowMs = 1600;
    p.add(1000, 50_000);
    nowMs = 2000;
    p.add(0, 0, 3);
    p.done();
    expect(drawn).toEqual([
      '\rwritten 1000 lines, 48.8 KiB in 0.5s (2000 lines/s, 97.7 KiB/s)\x1b[K',
      '\rwritten 2000 lines, 97.7 KiB in 1.0s (2000 lines/s, 97.7 KiB/s), 3 rejected\x1b[K',
      '\rwritten 2000 lines, 97.7 KiB in 1.0s (2000 lines/s, 97.7 KiB/s), 3 rejected\x1b[K\n',
    ]);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [5 * 1024 * 1024, '5.0 MiB'],
    [3 * 1024 ** 4, '3072.0 GiB'],
  ])('%d → %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});
