import type { Clock } from '../../core/clock.js';
import type { MetaStore } from '../../meta/meta-store.js';
import { DEFAULT_QUERY_LIMITS, QueryController, type QueryLimits } from '../../query/query-controller.js';
import type { QueryMetrics } from '../../query/query-metrics.js';
import { QueryService } from '../../query/query-service.js';
import type { RemoteSettings } from '../../query/remote/remote-options.js';
import type { Storage } from '../../storage/storage.js';
import type { RouteDef } from '../api-context.js';
import { queryRoutes } from './query-routes.js';

/**
 * The query path as a server component (src/server's `ServerComponent` shape): the Flux query
 * routes over one controller, which refuses queued queries when the server stops.
 */
export function queryComponent(
  ctx: { meta: MetaStore; storage: () => Storage; clock: Clock },
  limits: QueryLimits = DEFAULT_QUERY_LIMITS,
  /** Remote-host (`host:`) timeouts and address policy; the defaults when absent. */
  remote?: RemoteSettings,
  /** Where queries report their states and outcomes (`qc_*` on /metrics); none when absent. */
  metrics?: QueryMetrics,
): { name: string; service: QueryService; routes(): RouteDef[]; stop(): Promise<void> } {
  const controller = new QueryController(limits, ctx.clock);
  const service = new QueryService({
    meta: ctx.meta,
    storage: ctx.storage,
    controller,
    clock: ctx.clock,
    ...(remote === undefined ? {} : { remote }),
    ...(metrics === undefined ? {} : { metrics }),
  });
  return {
    name: 'query',
    service,
    routes: () => queryRoutes(service),
    stop: async () => controller.close(),
  };
}
