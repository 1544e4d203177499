import { queryComponent } from '../http/routes/query-component.js';
import { parseLines } from '../lineprotocol/line-parser.js';
import { Engine } from '../storage/engine.js';
import type { ServerDeps } from './server.js';

/** The production wiring: the real storage engine, line protocol parser and the query path. */
export function defaultServerDeps(overrides: Partial<ServerDeps> = {}): ServerDeps {
  const { components, ...rest } = overrides;
  return {
    openStorage: (dir, { clock, logger }) => Engine.open({ dataDir: dir, clock, logger }),
    parseLines: (body, options) => parseLines(body, options),
    ...rest,
    // The query component always runs; components given by the caller come after it.
    components: (ctx) => [
      queryComponent(ctx, {
        maxConcurrent: ctx.config.queryConcurrency,
        maxQueued: ctx.config.queryQueueSize,
        memoryBytes: ctx.config.queryMemoryBytes,
        timeoutMs: ctx.config.queryTimeoutMs,
      }),
      ...(components?.(ctx) ?? []),
    ],
  };
}
