#!/usr/bin/env node
// The `sluice` binary: a table of commands, each in src/cli/commands/.
import { authCommand } from './commands/auth.js';
import { bucketCommand } from './commands/bucket.js';
import { completionCommand } from './commands/completion.js';
import { configCommand } from './commands/config.js';
import { deleteCommand } from './commands/delete.js';
import { fluxCommand } from './commands/flux.js';
import { orgCommand } from './commands/org.js';
import { pingCommand } from './commands/ping.js';
import { queryCommand } from './commands/query.js';
import { repairCommand } from './commands/repair.js';
import { scriptCommand } from './commands/script.js';
import { setupCommand } from './commands/setup.js';
import { taskCommand } from './commands/task.js';
import { writeCommand } from './commands/write.js';
import { serveCommand } from './commands/serve.js';

interface Command {
  summary: string;
  run(argv: readonly string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  serve: { summary: 'start the server', run: serveCommand },
  flux: { summary: 'run Flux scripts and *_test.flux tests locally', run: fluxCommand },
  config: { summary: 'manage connection profiles', run: configCommand },
  setup: { summary: 'set up a new server and save a profile', run: setupCommand },
  ping: { summary: 'check that the server answers', run: pingCommand },
  org: { summary: 'manage organizations', run: orgCommand },
  bucket: { summary: 'manage buckets', run: bucketCommand },
  auth: { summary: 'manage API tokens', run: authCommand },
  write: { summary: 'write line protocol or CSV', run: writeCommand },
  query: { summary: 'run a Flux query', run: queryCommand },
  delete: { summary: 'delete points', run: deleteCommand },
  task: { summary: 'manage tasks, runs and logs', run: taskCommand },
  script: { summary: 'manage and invoke scripts', run: scriptCommand },
  repair: { summary: 'repair a data directory whose WAL is corrupt', run: repairCommand },
  completion: { summary: 'print shell completion (bash|zsh)', run: completionCommand },
};

function usage(): string {
  const lines = ['Usage: sluice <command> [flags]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
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
