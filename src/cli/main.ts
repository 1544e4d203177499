#!/usr/bin/env node
// The `sluice` binary: a table of commands, each in src/cli/commands/.
import { fluxCommand } from './commands/flux.js';
import { serveCommand } from './commands/serve.js';

interface Command {
  summary: string;
  run(argv: readonly string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  serve: { summary: 'start the server', run: serveCommand },
  flux: { summary: 'run Flux scripts and *_test.flux tests locally', run: fluxCommand },
};

function usage(): string {
  const lines = ['Usage: sluice <command> [flags]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(8)} ${c.summary}`);
  return lines.join('\n') + '\n';
}

const [name, ...rest] = process.argv.slice(2);
const command = name === undefined ? undefined : COMMANDS[name];
if (name === undefined || name === '--help' || name === '-h') {
  process.stdout.write(usage());
} else if (command === undefined) {
  process.stderr.write(`sluice: unknown command "${name}"\n${usage()}`);
  process.exitCode = 1;
} else {
  process.exitCode = await command.run(rest);
}
