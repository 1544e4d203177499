import { describe, expect, it } from 'vitest';
import { checkTarget, endpointUrl, orgParams, type RemoteTarget } from './remote-target.js';

describe('endpointUrl', () => {
  it.each<[string, string, [string, string][], string]>([
    ['http://h:8086', '/api/v2/query', [['org', 'acme']], 'http://h:8086/api/v2/query?org=acme'],
    ['http://h:8086/', '/api/v2/query', [], 'http://h:8086/api/v2/query'],
    ['https://proxy.example/influx//', '/api/v2/write', [['bucket', 'a b&c'], ['precision', 'ns']], 'https://proxy.example/influx/api/v2/write?bucket=a+b%26c&precision=ns'],
    ['http://h:8086/?ignored=1', '/api/v2/query', [['orgID', '0123']], 'http://h:8086/api/v2/query?orgID=0123'],
  ])('%s + %s', (host, path, params, expected) => {
    expect(endpointUrl(host, path, params).href).toBe(expected);
  });
});

describe('orgParams', () => {
  it.each<[Partial<RemoteTarget>, [string, string][]]>([
    [{ org: 'acme' }, [['org', 'acme']]],
    [{ orgID: '01' }, [['orgID', '01']]],
    [{}, []],
  ])('%j', (t, expected) => {
    expect(orgParams({ host: 'http://h', ...t })).toEqual(expected);
  });
});

describe('checkTarget', () => {
  it.each<[Partial<RemoteTarget>, string | undefined]>([
    [{ bucket: 'b' }, undefined],
    [{ bucketID: '01', orgID: '02' }, undefined],
    [{}, 'must specify bucket or bucketID'],
    [{ bucket: 'b', bucketID: '01' }, 'must specify only one of bucket or bucketID'],
    [{ bucket: 'b', org: 'o', orgID: '01' }, 'must specify only one of org or orgID'],
    [{ bucket: 'b', host: 'h:8086' }, 'invalid host "h:8086": the scheme must be http or https'],
    [{ bucket: 'b', host: '/relative' }, 'invalid host "/relative": not a URL'],
    [{ bucket: 'b', host: 'https://user:pw@h' }, 'invalid host "https://user:pw@h": credentials belong in token, not in the URL'],
  ])('%j', (t, error) => {
    const check = (): void => checkTarget({ host: 'http://h:8086', ...t });
    if (error === undefined) expect(check).not.toThrow();
    else expect(check).toThrow(error);
  });
});
