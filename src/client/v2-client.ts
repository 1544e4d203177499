import { ErrorCode, SluiceError } from '../core/errors.js';
import type { Authorization, Bucket, LogEvent, Org, Permission, Run, Script, SetupResult, Task } from './api-types.js';

export interface V2ClientOptions {
  /** Base URL, e.g. `http://localhost:8086` (a trailing slash is ignored). */
  host: string;
  /** API token; omitted for unauthenticated calls (ping, setup). */
  token?: string;
  /**
   * How requests go out; default the global `fetch`. The CLI passes its own for `--skip-verify`
   * (TLS without certificate checks) and `--http-debug` (each exchange printed). Connection
   * failures must reject as `fetch` does (the reason in the error's `cause`).
   */
  fetch?: FetchLike;
}

/** The part of `fetch` the client uses. */
export type FetchLike = (url: URL, init: { method: string; headers: Record<string, string>; body: string | Uint8Array | undefined }) => Promise<Response>;

/** Which organization a call is about: by name or by ID (as `org` / `orgID` query parameters). */
export interface OrgRef {
  org?: string;
  orgID?: string;
}

type Query = Record<string, string | number | undefined>;

interface RequestOptions {
  query?: Query;
  json?: unknown;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * A typed client of the InfluxDB v2 API as Sluice serves it. Every failure becomes a
 * `SluiceError` carrying the server's own code and message (so the CLI prints what the server
 * said); a connection failure becomes `unavailable`.
 */
export class V2Client {
  readonly host: string;
  private readonly token: string | undefined;
  private readonly fetch: FetchLike;

  constructor(options: V2ClientOptions) {
    this.host = options.host.replace(/\/+$/, '');
    this.token = options.token;
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** The raw response of one call; throws on a non-2xx status with the server's message. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(this.host + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { ...options.headers };
    if (this.token !== undefined && this.token !== '') headers.authorization = `Token ${this.token}`;
    let body: string | Uint8Array | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    }
    let res: Response;
    try {
      res = await this.fetch(url, { method, headers, body });
    } catch (e) {
      const cause = (e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message;
      throw new SluiceError(ErrorCode.Unavailable, `failed to reach ${this.host}: ${cause}`, { cause: e });
    }
    if (res.ok) return res;
    throw await errorFrom(res);
  }

  private async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, options);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  // --- system ---

  async ping(): Promise<{ version: string | null }> {
    const res = await this.request('GET', '/ping');
    await res.arrayBuffer();
    return { version: res.headers.get('x-influxdb-version') };
  }

  async isOnboarded(): Promise<boolean> {
    const r = await this.json<{ allowed: boolean }>('GET', '/api/v2/setup');
    return !r.allowed;
  }

  setup(input: { username: string; password?: string; org: string; bucket: string; retentionPeriodSeconds?: number; token?: string }): Promise<SetupResult> {
    return this.json('POST', '/api/v2/setup', { json: input });
  }

  // --- orgs ---

  async listOrgs(filter: { name?: string; id?: string } = {}): Promise<Org[]> {
    if (filter.id !== undefined) return [await this.json<Org>('GET', `/api/v2/orgs/${enc(filter.id)}`)];
    return (await this.json<{ orgs: Org[] }>('GET', '/api/v2/orgs', { query: { org: filter.name, limit: 100 } })).orgs;
  }

  createOrg(name: string, description?: string): Promise<Org> {
    return this.json('POST', '/api/v2/orgs', { json: { name, description } });
  }

  updateOrg(id: string, patch: { name?: string; description?: string }): Promise<Org> {
    return this.json('PATCH', `/api/v2/orgs/${enc(id)}`, { json: patch });
  }

  async deleteOrg(id: string): Promise<void> {
    await this.json('DELETE', `/api/v2/orgs/${enc(id)}`);
  }

  /** The ID of an org given by name or ID. */
  async orgID(ref: OrgRef): Promise<string> {
    if (ref.orgID !== undefined && ref.orgID !== '') return ref.orgID;
    if (ref.org === undefined || ref.org === '') throw new SluiceError(ErrorCode.Invalid, 'must specify org ID or org name');
    const orgs = await this.listOrgs({ name: ref.org });
    const found = orgs.find((o) => o.name === ref.org);
    if (found === undefined) throw new SluiceError(ErrorCode.NotFound, `organization name "${ref.org}" not found`);
    return found.id;
  }

  // --- buckets ---

  async listBuckets(filter: OrgRef & { name?: string; id?: string } = {}): Promise<Bucket[]> {
    if (filter.id !== undefined) return [await this.json<Bucket>('GET', `/api/v2/buckets/${enc(filter.id)}`)];
    const query = { org: filter.org, orgID: filter.orgID, name: filter.name, limit: 100 };
    return (await this.json<{ buckets: Bucket[] }>('GET', '/api/v2/buckets', { query })).buckets;
  }

  createBucket(input: { orgID: string; name: string; description?: string; retentionSeconds?: number; shardGroupSeconds?: number }): Promise<Bucket> {
    const rule = { type: 'expire', everySeconds: input.retentionSeconds ?? 0, ...(input.shardGroupSeconds === undefined ? {} : { shardGroupDurationSeconds: input.shardGroupSeconds }) };
    return this.json('POST', '/api/v2/buckets', { json: { orgID: input.orgID, name: input.name, description: input.description, retentionRules: [rule] } });
  }

  updateBucket(id: string, patch: { name?: string; description?: string; retentionSeconds?: number }): Promise<Bucket> {
    const body: Record<string, unknown> = { name: patch.name, description: patch.description };
    if (patch.retentionSeconds !== undefined) body.retentionRules = [{ type: 'expire', everySeconds: patch.retentionSeconds }];
    return this.json('PATCH', `/api/v2/buckets/${enc(id)}`, { json: body });
  }

  async deleteBucket(id: string): Promise<void> {
    await this.json('DELETE', `/api/v2/buckets/${enc(id)}`);
  }

  // --- authorizations ---

  async listAuthorizations(filter: OrgRef & { user?: string; id?: string } = {}): Promise<Authorization[]> {
    if (filter.id !== undefined) return [await this.json<Authorization>('GET', `/api/v2/authorizations/${enc(filter.id)}`)];
    const query = { org: filter.org, orgID: filter.orgID, user: filter.user };
    return (await this.json<{ authorizations: Authorization[] }>('GET', '/api/v2/authorizations', { query })).authorizations;
  }

  createAuthorization(input: { orgID: string; description?: string; permissions: Permission[]; userID?: string }): Promise<Authorization> {
    return this.json('POST', '/api/v2/authorizations', { json: input });
  }

  setAuthorizationStatus(id: string, status: 'active' | 'inactive'): Promise<Authorization> {
    return this.json('PATCH', `/api/v2/authorizations/${enc(id)}`, { json: { status } });
  }

  async deleteAuthorization(id: string): Promise<void> {
    await this.json('DELETE', `/api/v2/authorizations/${enc(id)}`);
  }

  // --- data ---

  /** POST one batch of line protocol (already gzip-compressed when `gzip`). */
  async write(target: OrgRef & { bucket: string; precision?: string }, body: string | Uint8Array, gzip = false): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
    if (gzip) headers['content-encoding'] = 'gzip';
    const query = { org: target.org, orgID: target.orgID, bucket: target.bucket, precision: target.precision };
    await (await this.request('POST', '/api/v2/write', { query, body, headers })).arrayBuffer();
  }

  async deletePoints(target: OrgRef & { bucket: string; start: string; stop: string; predicate?: string }): Promise<void> {
    const query = { org: target.org, orgID: target.orgID, bucket: target.bucket };
    await this.json('POST', '/api/v2/delete', { query, json: { start: target.start, stop: target.stop, predicate: target.predicate } });
  }

  /** Runs Flux; resolves to the annotated CSV response (all annotations, header row). */
  async query(ref: OrgRef, flux: string, params?: Record<string, unknown>): Promise<string> {
    const json = {
      query: flux,
      type: 'flux',
      ...(params === undefined ? {} : { params }),
      dialect: { header: true, annotations: ['datatype', 'group', 'default'], delimiter: ',' },
    };
    const res = await this.request('POST', '/api/v2/query', { query: { org: ref.org, orgID: ref.orgID }, json });
    return res.text();
  }

  // --- tasks ---

  async listTasks(filter: OrgRef & { limit?: number; user?: string; after?: string } = {}): Promise<Task[]> {
    const query = { org: filter.org, orgID: filter.orgID, limit: filter.limit, user: filter.user, after: filter.after };
    return (await this.json<{ tasks: Task[] }>('GET', '/api/v2/tasks', { query })).tasks;
  }

  getTask(id: string): Promise<Task> {
    return this.json('GET', `/api/v2/tasks/${enc(id)}`);
  }

  createTask(input: { orgID?: string; org?: string; flux: string; status?: string; description?: string }): Promise<Task> {
    return this.json('POST', '/api/v2/tasks', { json: input });
  }

  updateTask(id: string, patch: { flux?: string; status?: string }): Promise<Task> {
    return this.json('PATCH', `/api/v2/tasks/${enc(id)}`, { json: patch });
  }

  async deleteTask(id: string): Promise<void> {
    await this.json('DELETE', `/api/v2/tasks/${enc(id)}`);
  }

  async listRuns(taskID: string, filter: { after?: string; before?: string; limit?: number } = {}): Promise<Run[]> {
    const query = { afterTime: filter.after, beforeTime: filter.before, limit: filter.limit };
    return (await this.json<{ runs: Run[] }>('GET', `/api/v2/tasks/${enc(taskID)}/runs`, { query })).runs;
  }

  getRun(taskID: string, runID: string): Promise<Run> {
    return this.json('GET', `/api/v2/tasks/${enc(taskID)}/runs/${enc(runID)}`);
  }

  startRun(taskID: string, scheduledFor?: string): Promise<Run> {
    return this.json('POST', `/api/v2/tasks/${enc(taskID)}/runs`, { json: scheduledFor === undefined ? {} : { scheduledFor } });
  }

  retryRun(taskID: string, runID: string): Promise<Run> {
    return this.json('POST', `/api/v2/tasks/${enc(taskID)}/runs/${enc(runID)}/retry`, { json: {} });
  }

  async listLogs(taskID: string, runID?: string): Promise<LogEvent[]> {
    const path = runID === undefined ? `/api/v2/tasks/${enc(taskID)}/logs` : `/api/v2/tasks/${enc(taskID)}/runs/${enc(runID)}/logs`;
    return (await this.json<{ events: LogEvent[] }>('GET', path)).events;
  }

  // --- scripts ---

  async listScripts(filter: OrgRef & { limit?: number } = {}): Promise<Script[]> {
    const query = { org: filter.org, orgID: filter.orgID, limit: filter.limit };
    return (await this.json<{ scripts: Script[] }>('GET', '/api/v2/scripts', { query })).scripts;
  }

  createScript(input: { orgID?: string; name: string; description?: string; script: string; language?: string }): Promise<Script> {
    return this.json('POST', '/api/v2/scripts', { json: { language: 'flux', ...input } });
  }

  updateScript(id: string, patch: { description?: string; script?: string }): Promise<Script> {
    return this.json('PATCH', `/api/v2/scripts/${enc(id)}`, { json: patch });
  }

  async deleteScript(id: string): Promise<void> {
    await this.json('DELETE', `/api/v2/scripts/${enc(id)}`);
  }

  /** Invokes a script; resolves to its annotated CSV. */
  async invokeScript(id: string, params: Record<string, unknown>): Promise<string> {
    const res = await this.request('POST', `/api/v2/scripts/${enc(id)}/invoke`, { json: { params } });
    return res.text();
  }
}

const enc = encodeURIComponent;

/** The server's `{code, message}` body as a SluiceError; a body that is not JSON becomes the message. */
async function errorFrom(res: Response): Promise<SluiceError> {
  const text = await res.text();
  let code: string | undefined;
  let message = text.trim();
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; error?: unknown };
    if (typeof body.code === 'string') code = body.code;
    if (typeof body.message === 'string') message = body.message;
    else if (typeof body.error === 'string') message = body.error;
  } catch {
    // Not JSON: keep the raw text.
  }
  if (message === '') message = `${res.status} ${res.statusText}`;
  const errorCode = code !== undefined && KNOWN_CODES.has(code) ? (code as ErrorCode) : ErrorCode.Internal;
  return new SluiceError(errorCode, message, { details: { status: res.status } });
}
