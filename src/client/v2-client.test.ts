import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/helpers/test-server.js';
import { ErrorCode, SluiceError } from '../core/errors.js';
import { V2Client } from './v2-client.js';

/** The client against a real in-process server: objects come back typed, errors as the server said them. */
let ts: TestServer;
let client: V2Client;

beforeAll(async () => {
  ts = await startTestServer({ setup: true });
  client = new V2Client({ host: `${ts.url}/`, token: ts.token });
});
afterAll(() => ts.cleanup());

async function failure(p: Promise<unknown>): Promise<[string, string, unknown]> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    const err = e as SluiceError;
    return [err.code, err.message, err.details?.status];
  }
  throw new Error('expected a failure');
}

describe('V2Client', () => {
  it('pings and knows the server is onboarded', async () => {
    await client.ping();
    expect(await client.isOnboarded()).toBe(true);
  });

  it('resolves org names, creates and lists buckets with retention', async () => {
    const orgID = await client.orgID({ org: 'acme' });
    expect(orgID).toBe(ts.onboarded!.orgID);
    const b = await client.createBucket({ orgID, name: 'client-test', retentionSeconds: 3600 });
    expect(b.retentionRules[0]!.everySeconds).toBe(3600);
    expect((await client.listBuckets({ org: 'acme', name: 'client-test' })).map((x) => x.id)).toEqual([b.id]);
    const renamed = await client.updateBucket(b.id, { name: 'client-test-2', retentionSeconds: 0 });
    expect([renamed.name, renamed.retentionRules[0]?.everySeconds ?? 0]).toEqual(['client-test-2', 0]);
    await client.deleteBucket(b.id);
  });

  it('writes (plain and gzip) and queries back annotated CSV', async () => {
    await client.write({ org: 'acme', bucket: 'telemetry', precision: 's' }, 'c v=1 1\n');
    await client.write({ orgID: ts.onboarded!.orgID, bucket: 'telemetry' }, gzipSync('c v=2 2000000000\n'), true);
    const csv = await client.query({ org: 'acme' }, 'from(bucket: "telemetry") |> range(start: 0) |> keep(columns: ["_value"])');
    expect(csv).toBe('#datatype,string,long,double\r\n#group,false,false,false\r\n#default,_result,,\r\n,result,table,_value\r\n,,0,1\r\n,,0,2\r\n\r\n');
  });

  it.each([
    { name: 'unknown bucket', call: () => client.write({ org: 'acme', bucket: 'nope' }, 'c v=1'), code: ErrorCode.NotFound, message: 'bucket "nope" not found', status: 404 },
    { name: 'unknown org name', call: () => client.orgID({ org: 'nope' }), code: ErrorCode.NotFound, message: 'organization name "nope" not found', status: 404 },
    { name: 'bad line protocol', call: () => client.write({ org: 'acme', bucket: 'telemetry' }, 'c v='), code: ErrorCode.Invalid, message: expect.stringContaining('unable to parse') as unknown as string, status: 400 },
    {
      name: 'bad token',
      call: () => new V2Client({ host: ts.url, token: 'wrong' }).listBuckets(),
      code: ErrorCode.Unauthorized,
      message: 'unauthorized access',
      status: 401,
    },
  ])('$name → $code', async ({ call, code, message, status }) => {
    expect(await failure(call())).toEqual([code, message, status]);
  });

  it('an unreachable host is `unavailable`', async () => {
    const [code, message] = await failure(new V2Client({ host: 'http://127.0.0.1:1' }).ping());
    expect(code).toBe(ErrorCode.Unavailable);
    expect(message).toMatch(/^failed to reach http:\/\/127\.0\.0\.1:1: /);
  });
});
