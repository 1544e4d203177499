import type { Authorization, Permission } from '../../client/api-types.js';
import { invalid } from '../../core/errors.js';
import type { V2Client } from '../../client/v2-client.js';
import { allAccessPermissions, operatorPermissions } from './auth/operator-permissions.js';
import { runCommand, type CommandGroup, type CommandIo, type FlagSpec } from './common/command-spec.js';

/** `sluice auth`: API tokens (`influx auth`). */
const HEADERS = ['ID', 'Description', 'Token', 'User Name', 'User ID', 'Status', 'Permissions'];
const describe = (p: Permission): string => `${p.action}:${p.resource.orgID === undefined ? '' : `orgs/${p.resource.orgID}/`}${p.resource.type}${p.resource.id === undefined ? '' : `/${p.resource.id}`}`;
const row = (a: Authorization): string[] => [a.id, a.description ?? '', a.token ?? '', a.user ?? '', a.userID ?? '', a.status, `[${a.permissions.map(describe).join(' ')}]`];
const ID = { type: 'string', short: 'i', help: 'authorization ID' } as const;

/** Resource types an org-wide `--read-X/--write-X` pair can grant (influx's flag names). */
const ORG_WIDE = ['buckets', 'tasks', 'orgs', 'users', 'labels', 'dashboards', 'checks', 'notificationRules', 'notificationEndpoints', 'secrets', 'variables', 'scrapers', 'sources', 'telegrafs', 'dbrp', 'annotations', 'remotes', 'replications'] as const;
const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const createFlags: Record<string, FlagSpec> = {
  description: { type: 'string', short: 'd', help: 'token description' },
  user: { type: 'string', short: 'u', help: 'name of the user the token belongs to (default: you)' },
  'read-bucket': { type: 'string', multiple: true, help: 'bucket ID the token may read' },
  'write-bucket': { type: 'string', multiple: true, help: 'bucket ID the token may write' },
  'all-access': { type: 'boolean', help: 'every permission in the organization (alone, no other permission flag)' },
  operator: { type: 'boolean', help: 'grants all permissions in all organizations (an operator token; alone, no other permission flag)' },
};
for (const t of ORG_WIDE) {
  createFlags[`read-${kebab(t)}`] = { type: 'boolean', help: `read all ${t} of the organization` };
  createFlags[`write-${kebab(t)}`] = { type: 'boolean', help: `write all ${t} of the organization` };
}

export const authGroup: CommandGroup = {
  summary: 'manage API tokens',
  aliases: { ls: 'list', find: 'list', activate: 'active', deactivate: 'inactive' },
  subcommands: {
    create: {
      summary: 'create a token with the given scopes',
      usage: 'sluice auth create [-o ORG] [--read-bucket ID]... [--write-bucket ID]... [--read-tasks] [--all-access | --operator] [-d TEXT]',
      examples: [
        'sluice auth create -d "grafana" --read-bucket 0123456789abcdef',
        'sluice auth create --write-bucket 0123456789abcdef --read-buckets --json',
        'sluice auth create --operator -d "backup operator"',
      ],
      flags: createFlags,
      async run(io) {
        checkAlone(io);
        const client = io.client();
        const orgID = await client.orgID(io.orgRef());
        // influx's --user is a name; the token then belongs to that user (by default the caller).
        const userName = io.str('user');
        const userID = userName === undefined ? undefined : await userIdByName(client, userName);
        const permissions: Permission[] = [];
        if (io.bool('operator')) permissions.push(...(await operatorPermissions(client)));
        if (io.bool('all-access')) permissions.push(...(await allAccessPermissions(client, orgID, userID ?? (await myUserId(client)))));
        const grant = (action: 'read' | 'write', type: string, id?: string): void =>
          void permissions.push({ action, resource: { type, orgID, ...(id === undefined ? {} : { id }) } });
        for (const t of ORG_WIDE) {
          if (io.bool(`read-${kebab(t)}`)) grant('read', t);
          if (io.bool(`write-${kebab(t)}`)) grant('write', t);
        }
        for (const id of io.list('read-bucket')) grant('read', 'buckets', id);
        for (const id of io.list('write-bucket')) grant('write', 'buckets', id);
        if (permissions.length === 0) throw invalid('no permissions given: use --read-bucket, --write-bucket, --read-buckets, ... or --all-access');
        const a = await client.createAuthorization({ orgID, description: io.str('description'), permissions, ...(userID === undefined ? {} : { userID }) });
        io.print(a, HEADERS, row);
      },
    },
    list: {
      summary: 'list tokens',
      usage: 'sluice auth list [-i ID] [-u USER] [-o ORG]',
      examples: ['sluice auth list', 'sluice auth list --json'],
      flags: { id: ID, user: { type: 'string', short: 'u', help: 'user name' } },
      async run(io) {
        io.print(await io.client().listAuthorizations({ ...io.orgRef(), id: io.str('id'), user: io.str('user') }), HEADERS, row);
      },
    },
    active: {
      summary: 'activate a token',
      usage: 'sluice auth active -i ID',
      examples: ['sluice auth active -i 0123456789abcdef'],
      flags: { id: ID },
      async run(io) {
        io.print(await io.client().setAuthorizationStatus(io.need('id'), 'active'), HEADERS, row);
      },
    },
    inactive: {
      summary: 'deactivate a token (it is refused until activated again)',
      usage: 'sluice auth inactive -i ID',
      examples: ['sluice auth inactive -i 0123456789abcdef'],
      flags: { id: ID },
      async run(io) {
        io.print(await io.client().setAuthorizationStatus(io.need('id'), 'inactive'), HEADERS, row);
      },
    },
    delete: {
      summary: 'delete a token',
      usage: 'sluice auth delete -i ID',
      examples: ['sluice auth delete -i 0123456789abcdef'],
      flags: { id: ID },
      async run(io) {
        const client = io.client();
        const [a] = await client.listAuthorizations({ id: io.need('id') });
        await client.deleteAuthorization(a!.id);
        io.print(a!, HEADERS, row);
      },
    },
  },
};

/** influx's rule: an operator or all-access token has those permissions and nothing else. */
function checkAlone(io: CommandIo): void {
  const others = io.list('read-bucket').length > 0 || io.list('write-bucket').length > 0 || ORG_WIDE.some((t) => io.bool(`read-${kebab(t)}`) || io.bool(`write-${kebab(t)}`));
  if (io.bool('operator') && others) throw invalid('cannot compose other permissions with operator permissions');
  if (io.bool('all-access') && (others || io.bool('operator'))) throw invalid('cannot compose other permissions with all access permissions');
}

/** The ID of the user named `name` (`GET /api/v2/users?name=`), as influx looks it up. */
async function userIdByName(client: V2Client, name: string): Promise<string> {
  const res = await client.request('GET', `/api/v2/users?name=${encodeURIComponent(name)}`);
  const id = ((await res.json()) as { users?: { id?: string }[] }).users?.[0]?.id;
  if (id === undefined) throw invalid(`could not find user with name "${name}"`);
  return id;
}

/** The caller's user ID (`GET /api/v2/me`). */
async function myUserId(client: V2Client): Promise<string> {
  const res = await client.request('GET', '/api/v2/me');
  const id = ((await res.json()) as { id?: string }).id;
  if (id === undefined) throw invalid('GET /api/v2/me did not name a user');
  return id;
}

export const authCommand = (argv: readonly string[]): Promise<number> => runCommand('sluice auth', authGroup, argv);
