import { conflict, ErrorCode, invalid, SluiceError } from '../../core/errors.js';
import { isAcceptablePassword } from '../../meta/password.js';
import type { RouteDef } from '../api-context.js';
import { bucketStorageConfig } from '../bucket-storage-config.js';
import { JsonBody } from '../json-body.js';
import { json } from '../reply.js';
import { authorizationJson, bucketJson, orgJson, userJson } from '../tenant-json.js';

/** First-run onboarding (reference §4.1). No token needed: it is how the first token is made. */
export function setupRoutes(): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/api/v2/setup',
      auth: 'none',
      handler: ({ deps }) => json(200, { allowed: deps.meta.isSetupAllowed() }),
    },
    {
      method: 'POST',
      path: '/api/v2/setup',
      auth: 'none',
      handler: async (ctx) => {
        const { meta } = ctx.deps;
        const body = await JsonBody.read(ctx, { allowEmpty: true });
        if (!meta.isSetupAllowed()) throw conflict('onboarding has already been completed');
        const username = body.string('username') ?? '';
        const org = body.string('org') ?? '';
        const bucket = body.string('bucket') ?? '';
        const missing = [['username', username], ['org', org], ['bucket', bucket]].filter(([, v]) => v === '').map(([k]) => k);
        if (missing.length > 0) {
          throw new SluiceError(ErrorCode.UnprocessableEntity, `onboarding failed: missing required fields [${missing.join(',')}]`);
        }
        const password = body.string('password');
        if (password !== undefined && password !== '' && !isAcceptablePassword(password)) {
          throw invalid('passwords must be between 8 and 72 characters long');
        }
        const retentionSeconds = retentionOf(body);
        const token = body.string('token');
        const r = meta.setup({
          username,
          org,
          bucket,
          retentionSeconds,
          ...(password === undefined || password === '' ? {} : { password }),
          ...(token === undefined || token === '' ? {} : { token }),
        });
        const storage = ctx.deps.storage();
        for (const b of [r.bucket, ...r.systemBuckets]) await storage.ensureBucket(bucketStorageConfig(b));
        return json(201, {
          user: userJson(r.user),
          org: orgJson(r.org),
          bucket: bucketJson(r.bucket, []),
          auth: authorizationJson(meta, r.auth, r.token),
        });
      },
    },
  ];
}

/** `retentionPeriodSeconds`, or the deprecated `retentionPeriodHrs`, which is really nanoseconds. */
function retentionOf(body: JsonBody): number {
  const seconds = body.number('retentionPeriodSeconds');
  if (seconds !== undefined) return Math.trunc(seconds);
  const ns = body.number('retentionPeriodHrs');
  return ns === undefined ? 0 : Math.trunc(ns / 1e9);
}
