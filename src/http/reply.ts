import type { ServerResponse } from 'node:http';

/**
 * What a handler returns: a status, an optional JSON (or raw) body and headers. Handlers that
 * stream their own response write to `res` directly and return `{ status: 0 }` (already sent).
 */
export interface Reply {
  readonly status: number;
  readonly json?: unknown;
  readonly text?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

export const ALREADY_SENT: Reply = { status: 0 };

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply =>
  headers === undefined ? { status, json: body } : { status, json: body, headers };

export const noContent = (headers?: Record<string, string>): Reply =>
  headers === undefined ? { status: 204 } : { status: 204, headers };

export function sendReply(res: ServerResponse, reply: Reply, headOnly: boolean): void {
  if (reply.status === 0) return;
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  let body: string | Buffer | undefined;
  if (reply.json !== undefined) {
    body = JSON.stringify(reply.json);
    res.setHeader('content-type', 'application/json; charset=utf-8');
  } else if (reply.text !== undefined) {
    body = reply.text;
  }
  res.statusCode = reply.status;
  if (body === undefined || reply.status === 204 || reply.status === 304) {
    res.end();
    return;
  }
  res.setHeader('content-length', Buffer.byteLength(body));
  if (headOnly) res.end();
  else res.end(body);
}
