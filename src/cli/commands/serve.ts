import { isSluiceError } from '../../core/errors.js';
import { parseServeConfig, serveUsage } from '../../server/config.js';
import { defaultServerDeps } from '../../server/default-server-deps.js';
import { Server } from '../../server/server.js';

/**
 * `sluice serve`: runs the server until SIGTERM or SIGINT, then stops gracefully (in-flight
 * writes finish, storage flushes). A second signal exits at once.
 */
export async function serveCommand(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(serveUsage());
    return 0;
  }
  let server: Server;
  try {
    server = await Server.start(parseServeConfig(argv), defaultServerDeps());
  } catch (e) {
    process.stderr.write(`sluice serve: ${isSluiceError(e) ? e.message : String((e as Error).stack ?? e)}\n`);
    return 1;
  }
  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) {
        server.logger.warn({ signal }, 'second signal: exiting without waiting');
        process.exit(130);
      }
      server.logger.info({ signal }, 'shutdown requested');
      server.stop().then(
        () => resolve(0),
        (e: unknown) => {
          server.logger.error({ err: e }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
