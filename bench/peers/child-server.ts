import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A port free on 127.0.0.1 right now (the OS picks it; a server started next takes it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every `everyMs` until it returns true; throws naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (e) {
      lastError = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError === undefined ? '' : `: ${String(lastError)}`}`);
}

/** Peak and current resident set of a process, from /proc/PID/status (bytes). */
export interface MemoryUse {
  hwmBytes: number;
  rssBytes: number;
}

export function memoryUse(pid: number): MemoryUse {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    return m === null ? NaN : Number(m[1]) * 1024;
  };
  return { hwmBytes: kib('VmHWM'), rssBytes: kib('VmRSS') };
}

/**
 * One server process started by the benchmark. Output goes to `logPath` (shown when the server
 * fails). Stopped by its own PID only: SIGTERM, then SIGKILL after `graceMs`.
 */
export class ChildServer {
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly logPath: string,
  ) {
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitCode = code ?? (signal === null ? null : -1);
        resolve(this.exitCode);
      });
    });
  }

  static spawn(name: string, command: string, args: readonly string[], logPath: string): ChildServer {
    const fd = openSync(logPath, 'a');
    try {
      const child = spawn(command, args, { stdio: ['ignore', fd, fd], detached: false });
      if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
      return new ChildServer(name, child, logPath);
    } finally {
      closeSync(fd);
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** The last lines of the server's output, for error messages. */
  logTail(lines = 20): string {
    try {
      return readFileSync(this.logPath, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async stop(graceMs = 60_000): Promise<void> {
    if (!this.running) return;
    try {
      process.kill(this.pid, 'SIGTERM');
    } catch {
      // Exited on its own (e.g. the terminal's Ctrl-C reached it first); the exit event follows.
    }
    const timedOut = Symbol('timeout');
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([this.exited, new Promise<symbol>((r) => (timer = setTimeout(() => r(timedOut), graceMs)))]);
    clearTimeout(timer);
    if (outcome === timedOut && this.running) {
      process.stderr.write(`${this.name} (pid ${this.pid}) did not stop within ${graceMs} ms: SIGKILL\n`);
      process.kill(this.pid, 'SIGKILL');
      await this.exited;
    }
  }
}
