import type { RouteDef } from './api-context.js';
import { authorizationRoutes } from './routes/authorization-routes.js';
import { bucketRoutes } from './routes/bucket-routes.js';
import { dbrpRoutes } from './routes/dbrp-routes.js';
import { deleteRoutes } from './routes/delete-routes.js';
import { labelRoutes } from './routes/label-routes.js';
import { orgRoutes } from './routes/org-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { setupRoutes } from './routes/setup-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import { userRoutes } from './routes/user-routes.js';
import { writeRoutes } from './routes/write-routes.js';

/**
 * The core routes of the API. Other areas' routes (query, tasks) come from server components
 * (`ServerDeps.components` in src/server/server.ts), served alongside these by one handler.
 */
export function apiRoutes(): RouteDef[] {
  return [
    ...systemRoutes(),
    ...setupRoutes(),
    ...sessionRoutes(),
    ...orgRoutes(),
    ...bucketRoutes(),
    ...userRoutes(),
    ...authorizationRoutes(),
    ...labelRoutes(),
    ...dbrpRoutes(),
    ...writeRoutes(),
    ...deleteRoutes(),
  ];
}
