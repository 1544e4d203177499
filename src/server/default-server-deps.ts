import { queryComponent } from '../http/routes/query-component.js';
import { parseLines } from '../lineprotocol/line-parser.js';
import { Engine } from '../storage/engine.js';
import { remoteSettingsOf } from './config.js';
import type { ServerDeps } from './server.js';
import { tasksComponent } from './tasks-component.js';

/** The production wiring: the real storage engine, line protocol parser, the query path and the task engine. */
export function defaultServerDeps(overrides: Partial<ServerDeps> = {}): ServerDeps {
  const { components, ...rest } = overrides;
  return {
    openStorage: (dir, { clock, logger }) => Engine.open({ dataDir: dir, clock, logger }),
    parseLines: (body, options) => parseLines(body, options),
    ...rest,
    // The query component always runs; components given by the caller come after it.
    // The task engine runs its Flux through the query path, so it starts after it and stops first.
    components: (ctx) => {
      const query = queryComponent(
        ctx,
        {
          maxConcurrent: ctx.config.queryConcurrency,
          maxQueued: ctx.config.queryQueueSize,
          memoryBytes: ctx.config.queryMemoryBytes,
          timeoutMs: ctx.config.queryTimeoutMs,
        },
        remoteSettingsOf(ctx.config),
      );
      return [query, tasksComponent(ctx, { query: query.service }), ...(components?.(ctx) ?? [])];
    },
  };
}
