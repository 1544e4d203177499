import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';

const POLICY_RC = '/usr/sbin/policy-rc.d';

/** The installed package's file ending in `/bin/<binary>`, from `dpkg -L` (undefined if none). */
export function packageBinary(pkg: string, binary: string): string | undefined {
  const r = spawnSync('dpkg', ['-L', pkg], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return r.stdout.split('\n').find((p) => p.endsWith(`/bin/${binary}`) && existsSync(p));
}

/** PIDs whose executable is `binaryPath` (read from /proc/PID/exe; unreadable ones skipped). */
export function pidsRunning(binaryPath: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/exe`) === binaryPath) pids.push(Number(name));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

/**
 * Installs a Debian package when its binary is missing and returns the binary's path. Services
 * must not start from the package's postinst: while installing, a policy-rc.d that denies starts
 * is put in place if the system has none. If a process of the binary is running right after the
 * install anyway, the install started it, so it is stopped by its PID.
 */
export function ensurePackageBinary(pkg: string, binary: string, log: (line: string) => void): string {
  const found = packageBinary(pkg, binary);
  if (found !== undefined) return found;
  log(`installing Debian package ${pkg} (apt-get install -y --no-install-recommends)`);
  const ownPolicy = !existsSync(POLICY_RC);
  if (ownPolicy) writeFileSync(POLICY_RC, '#!/bin/sh\n# sluice bench:peers: no service starts while installing\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = (): number | null =>
      spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { stdio: ['ignore', 'ignore', 'inherit'], env }).status;
    if (install() !== 0) {
      execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
      if (install() !== 0) throw new Error(`apt-get install ${pkg} failed`);
    }
  } finally {
    if (ownPolicy) rmSync(POLICY_RC, { force: true });
  }
  const path = packageBinary(pkg, binary);
  if (path === undefined) throw new Error(`package ${pkg} is installed but has no bin/${binary} (dpkg -L ${pkg})`);
  for (const pid of pidsRunning(path)) {
    log(`the ${pkg} install left ${path} running (pid ${pid}): stopping it`);
    process.kill(pid, 'SIGTERM');
  }
  return path;
}
