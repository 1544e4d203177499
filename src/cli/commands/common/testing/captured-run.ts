import { runCommand, type CommandGroup, type CommandSpec, type Streams } from '../command-spec.js';

/** What a command printed and the exit code it gave. */
export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command as the CLI does (`runCommand`), with its output captured instead of printed (for tests). */
export async function runCaptured(path: string, command: CommandSpec | CommandGroup, argv: readonly string[], streams: Omit<Streams, 'stdout' | 'stderr'>): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(path, command, argv, { ...streams, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}
