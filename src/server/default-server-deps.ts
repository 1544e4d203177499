import type { ExternalKey, PackageRegistry } from '../flux/interpreter/index.js';
import { HTTP_CLIENT } from '../flux/stdlib/http/http-client.js';
import { queryComponent } from '../http/routes/query-component.js';
import { QUERY_ENV } from '../query/query-env.js';
import { queryLibrary } from '../query/query-registry.js';
import { hostHttpClient } from '../query/remote/host-http-client.js';
import { DEFAULT_REMOTE_OPTIONS, REMOTE_OPTIONS, type RemoteSettings } from '../query/remote/remote-options.js';
import { remoteOnlyEnv } from '../query/remote/remote-only-env.js';
import { storageExternals } from '../query/storage-externals.js';
import { parseLines } from '../lineprotocol/line-parser.js';
import { Engine } from '../storage/engine.js';
import { remoteSettingsOf } from './config.js';
import { QueryPromMetrics } from './query-prom-metrics.js';
import type { ServerDeps } from './server.js';
import { tasksComponent } from './tasks-component.js';

/** The production wiring: the real storage engine, line protocol parser, the query path and the task engine. */
export function defaultServerDeps(overrides: Partial<ServerDeps> = {}): ServerDeps {
  const { components, ...rest } = overrides;
  return {
    openStorage: (dir, { clock, logger, settings }) => Engine.open({ dataDir: dir, clock, logger, ...settings }),
    parseLines: (body, options) => parseLines(body, options),
    ...rest,
    // The query component always runs; components given by the caller come after it.
    // The task engine runs its Flux through the query path, so it starts after it and stops first.
    components: (ctx) => {
      // One set of query-controller metrics for HTTP queries and task runs, as InfluxDB's.
      const queryMetrics = new QueryPromMetrics(ctx.metrics.registry);
      const query = queryComponent(
        ctx,
        {
          maxConcurrent: ctx.config.queryConcurrency,
          maxQueued: ctx.config.queryQueueSize,
          memoryBytes: ctx.config.queryMemoryBytes,
          timeoutMs: ctx.config.queryTimeoutMs,
        },
        remoteSettingsOf(ctx.config),
        queryMetrics,
      );
      return [query, tasksComponent(ctx, { query: query.service, queryMetrics }), ...(components?.(ctx) ?? [])];
    },
  };
}

/**
 * The wiring of a Flux run without a server (`sluice flux run`): the query library, so
 * `from/to/buckets(host:)`, `wideTo/experimental.to/cardinality(host:)` reach other servers with
 * `remote`'s timeouts and address policy, exactly as a server's queries do; reading or writing a
 * local bucket fails at the call (there is none).
 */
export function fluxRunWiring(remote: RemoteSettings = {}): { registry: PackageRegistry; externals: Map<ExternalKey<unknown>, unknown> } {
  const options = { ...DEFAULT_REMOTE_OPTIONS, ...remote };
  const env = remoteOnlyEnv('sluice flux run has no local buckets: read and write another server with host:, token: and org:');
  const externals = new Map<ExternalKey<unknown>, unknown>([...storageExternals(env, options), [QUERY_ENV, env], [REMOTE_OPTIONS, options]]);
  externals.set(HTTP_CLIENT, hostHttpClient(options.addressPolicy, options.tlsSkipVerify === true));
  return { registry: queryLibrary(), externals };
}
