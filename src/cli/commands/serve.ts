import { isSluiceError } from '../../core/errors.js';
import { parseServeConfig, serveUsage } from '../../server/config.js';
import { defaultServerDeps } from '../../server/default-server-deps.js';
import { tuneMalloc, type MallocTuning } from '../../server/malloc-tuning.js';
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
  let malloc: MallocTuning;
  try {
    const config = parseServeConfig(argv);
    malloc = tuneMalloc(config.mallocRetainBytes);
    server = await Server.start(config, defaultServerDeps());
  } catch (e) {
    process.stderr.write(`sluice serve: ${isSluiceError(e) ? e.message : String((e as Error).stack ?? e)}\n`);
    return 1;
  }
  if (malloc.applied) server.logger.info({ retainBytes: malloc.retainBytes }, 'malloc keeps freed memory for reuse (--malloc-retain-size)');
  else server.logger.info({ reason: malloc.reason }, "malloc left at the C library's defaults");
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
