import { formatRfc3339Nano } from '../../core/time.js';
import type { RouteDef } from '../api-context.js';
import { formatGoDuration } from '../go-duration.js';
import { json, noContent } from '../reply.js';
import { RESOURCE_TYPES } from '../../meta/permission.js';

/** Probes and discovery: /ping, /health, /ready, /metrics, /api/v2, /api/v2/resources (reference §4.8). */
export function systemRoutes(): RouteDef[] {
  const ping: RouteDef['handler'] = () => noContent();
  return [
    { method: 'GET', path: '/ping', auth: 'none', alwaysAvailable: true, handler: ping },
    { method: 'HEAD', path: '/ping', auth: 'none', alwaysAvailable: true, handler: ping },
    {
      method: 'GET',
      path: '/health',
      auth: 'none',
      alwaysAvailable: true,
      handler: ({ deps }) => {
        const ready = deps.lifecycle.state === 'ready';
        return json(ready ? 200 : 503, {
          name: 'influxdb',
          message: ready ? 'ready for queries and writes' : `sluice is ${deps.lifecycle.state}`,
          status: ready ? 'pass' : 'fail',
          checks: [],
          version: deps.options.version,
          commit: deps.options.commit,
        });
      },
    },
    {
      method: 'GET',
      path: '/ready',
      auth: 'none',
      alwaysAvailable: true,
      handler: ({ deps }) => {
        const ready = deps.lifecycle.state === 'ready';
        const upNs = BigInt(Math.max(0, deps.clock.nowMs() - deps.lifecycle.startedAtMs)) * 1_000_000n;
        return json(ready ? 200 : 503, {
          status: ready ? 'ready' : deps.lifecycle.state,
          started: formatRfc3339Nano(BigInt(deps.lifecycle.startedAtMs) * 1_000_000n),
          up: formatGoDuration(upNs),
        });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      auth: 'metrics',
      alwaysAvailable: true,
      handler: async ({ deps }) => {
        const text = await deps.metrics.registry.metrics();
        return { status: 200, text, headers: { 'content-type': deps.metrics.registry.contentType } };
      },
    },
    { method: 'GET', path: '/api/v2', auth: 'none', handler: () => json(200, ROOT_LINKS) },
    // Every resource type a permission can name, in InfluxDB's order (`influx auth create
    // --operator` asks for them to grant read and write on each).
    { method: 'GET', path: '/api/v2/resources', auth: 'token', handler: () => json(200, [...RESOURCE_TYPES]) },
  ];
}

const ROOT_LINKS = {
  authorizations: '/api/v2/authorizations',
  buckets: '/api/v2/buckets',
  dashboards: '/api/v2/dashboards',
  external: { statusFeed: 'https://www.influxdata.com/feed/json' },
  flags: '/api/v2/flags',
  labels: '/api/v2/labels',
  variables: '/api/v2/variables',
  me: '/api/v2/me',
  notificationRules: '/api/v2/notificationRules',
  notificationEndpoints: '/api/v2/notificationEndpoints',
  orgs: '/api/v2/orgs',
  query: {
    self: '/api/v2/query',
    ast: '/api/v2/query/ast',
    analyze: '/api/v2/query/analyze',
    suggestions: '/api/v2/query/suggestions',
  },
  restore: '/api/v2/restore',
  setup: '/api/v2/setup',
  signin: '/api/v2/signin',
  signout: '/api/v2/signout',
  sources: '/api/v2/sources',
  scrapers: '/api/v2/scrapers',
  swagger: '/api/v2/swagger.json',
  system: { metrics: '/metrics', debug: '/debug/pprof', health: '/health', ready: '/ready' },
  tasks: '/api/v2/tasks',
  checks: '/api/v2/checks',
  telegrafs: '/api/v2/telegrafs',
  plugins: '/api/v2/telegraf/plugins',
  users: '/api/v2/users',
  write: '/api/v2/write',
  delete: '/api/v2/delete',
};
