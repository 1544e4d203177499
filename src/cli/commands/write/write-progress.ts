/**
 * The progress line `sluice write` draws on a terminal: lines and bytes sent, rate, rejected
 * count. Redrawn at most every `intervalMs` (carriage return, no newline) and finished with a
 * newline by `done`. Time comes from `nowMs` so tests can drive it.
 */
export class WriteProgress {
  private lines = 0;
  private bytes = 0;
  private rejected = 0;
  private lastDrawMs = -Infinity;
  private readonly startMs: number;

  constructor(
    private readonly draw: (text: string) => void,
    private readonly nowMs: () => number = () => Date.now(),
    private readonly intervalMs = 200,
  ) {
    this.startMs = nowMs();
  }

  add(lines: number, sizeBytes: number, rejected = 0): void {
    this.lines += lines;
    this.bytes += sizeBytes;
    this.rejected += rejected;
    const now = this.nowMs();
    if (now - this.lastDrawMs >= this.intervalMs) {
      this.lastDrawMs = now;
      this.draw(`\r${this.text(now)}\x1b[K`);
    }
  }

  done(): void {
    this.draw(`\r${this.text(this.nowMs())}\x1b[K\n`);
  }

  text(nowMs: number): string {
    const seconds = Math.max((nowMs - this.startMs) / 1000, 0.001);
    const rate = Math.round(this.lines / seconds);
    const rejected = this.rejected === 0 ? '' : `, ${this.rejected} rejected`;
    return `written ${this.lines} lines, ${formatBytes(this.bytes)} in ${seconds.toFixed(1)}s (${rate} lines/s, ${formatBytes(this.bytes / seconds)}/s)${rejected}`;
  }
}

export function formatBytes(sizeBytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = sizeBytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}
