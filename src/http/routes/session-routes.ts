import { invalid } from '../../core/errors.js';
import { SESSION_TTL_MS } from '../../meta/session-store.js';
import type { RouteDef } from '../api-context.js';
import { basicCredentials, SESSION_COOKIE, sessionKeyFromCookie, unauthorizedAccess } from '../authorizer.js';
import { JsonBody } from '../json-body.js';
import { noContent } from '../reply.js';

/**
 * Browser sign-in (reference §4): `POST /api/v2/signin` with Basic auth sets the session cookie,
 * `POST /api/v2/signout` ends it, `PUT /api/v2/me/password` changes the password given the old
 * one in Basic auth.
 */
export function sessionRoutes(): RouteDef[] {
  return [
    {
      method: 'POST',
      path: '/api/v2/signin',
      auth: 'none',
      handler: ({ deps, req }) => {
        const creds = basicCredentials(req.headers.authorization);
        const user = creds === undefined ? undefined : deps.meta.users.checkPassword(creds.username, creds.password);
        if (user === undefined) throw unauthorizedAccess();
        const { key } = deps.meta.sessions.create(user.id, SESSION_TTL_MS);
        const expires = new Date(deps.clock.nowMs() + SESSION_TTL_MS).toUTCString();
        return noContent({ 'set-cookie': `${SESSION_COOKIE}=${key}; Path=/api/; Expires=${expires}; HttpOnly; SameSite=Strict` });
      },
    },
    {
      method: 'POST',
      path: '/api/v2/signout',
      auth: 'none',
      handler: ({ deps, req }) => {
        const key = sessionKeyFromCookie(req.headers.cookie);
        if (key === undefined || deps.meta.sessions.find(key) === undefined) throw unauthorizedAccess();
        deps.meta.sessions.delete(key);
        return noContent({ 'set-cookie': `${SESSION_COOKIE}=; Path=/api/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict` });
      },
    },
    {
      method: 'PUT',
      path: '/api/v2/me/password',
      auth: 'none',
      handler: async (ctx) => {
        const creds = basicCredentials(ctx.req.headers.authorization);
        const user = creds === undefined ? undefined : ctx.deps.meta.users.checkPassword(creds.username, creds.password);
        if (user === undefined) throw unauthorizedAccess();
        const body = await JsonBody.read(ctx);
        const password = body.string('password');
        if (password === undefined) throw invalid('password is required');
        ctx.deps.meta.users.setPassword(user.id, password);
        return noContent();
      },
    },
  ];
}
