import { runCommand, type CommandSpec } from './common/command-spec.js';

/** `sluice ping`: is the server up? Prints OK (or the version with --json). */
export const pingSpec: CommandSpec = {
  summary: 'check that the server answers',
  usage: 'sluice ping [--host URL]',
  examples: ['sluice ping', 'sluice ping --host http://db:8086'],
  async run(io) {
    const { version } = await io.client().ping();
    if (io.json) io.out(JSON.stringify({ host: io.host, version }) + '\n');
    else io.out('OK\n');
  },
};

export const pingCommand = (argv: readonly string[]): Promise<number> => runCommand('sluice ping', pingSpec, argv);
