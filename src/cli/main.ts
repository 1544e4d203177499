#!/usr/bin/env node
// The `sluice` binary. Subcommands are added by their modules as the server side of each lands.
const [command] = process.argv.slice(2);

function usage(): string {
  return ['Usage: sluice <command> [flags]', '', 'Commands:', '  serve    start the server', ''].join('\n');
}

if (command === undefined || command === '--help' || command === '-h') {
  process.stdout.write(usage());
} else {
  process.stderr.write(`sluice: unknown command "${command}"\n${usage()}`);
  process.exitCode = 1;
}
