import { describe, expect, it } from 'vitest';
import { Router } from './router.js';

function router(): Router<string> {
  return new Router<string>()
    .add('GET', '/ping', 'ping-get')
    .add('HEAD', '/ping', 'ping-head')
    .add('GET', '/api/v2', 'root')
    .add('GET', '/api/v2/buckets', 'buckets-list')
    .add('POST', '/api/v2/buckets', 'buckets-create')
    .add('GET', '/api/v2/buckets/:id', 'bucket-get')
    .add('DELETE', '/api/v2/buckets/:id', 'bucket-delete')
    .add('GET', '/api/v2/buckets/:id/labels', 'bucket-labels')
    .add('DELETE', '/api/v2/buckets/:id/labels/:labelID', 'bucket-label-delete')
    .add('GET', '/api/v2/me', 'me');
}

describe('Router', () => {
  it.each([
    ['GET', '/ping', 'found ping-get {}'],
    ['HEAD', '/ping', 'found ping-head {}'],
    ['HEAD', '/api/v2/buckets', 'found buckets-list {}'],
    ['GET', '/api/v2', 'found root {}'],
    ['GET', '/api/v2/', 'found root {}'],
    ['POST', '/api/v2/buckets', 'found buckets-create {}'],
    ['GET', '/api/v2/buckets/abc', 'found bucket-get {"id":"abc"}'],
    ['GET', '/api/v2/buckets/a%20b', 'found bucket-get {"id":"a b"}'],
    ['GET', '/api/v2/buckets/abc/', 'found bucket-get {"id":"abc"}'],
    ['DELETE', '/api/v2/buckets/x/labels/y', 'found bucket-label-delete {"id":"x","labelID":"y"}'],
    ['GET', '/api/v2/me', 'found me {}'],
    ['PUT', '/api/v2/buckets/abc', 'method not allowed GET,DELETE'],
    ['DELETE', '/api/v2/buckets', 'method not allowed GET,POST'],
    ['GET', '/api/v2/nope', 'not found'],
    ['GET', '/api/v2/buckets//labels', 'not found'],
    ['GET', '/api/v2/buckets/%zz', 'not found'],
    ['GET', '/api/v2/buckets/a/b/c/d', 'not found'],
    ['GET', '/', 'not found'],
  ])('%s %s → %s', (method, path, expected) => {
    const r = router().find(method, path);
    const got =
      r.kind === 'found'
        ? `found ${r.handler} ${JSON.stringify(r.params)}`
        : r.kind === 'method not allowed'
          ? `method not allowed ${r.allow.join(',')}`
          : 'not found';
    expect(got).toBe(expected);
  });

  it('refuses a duplicate registration', () => {
    expect(() => router().add('GET', '/ping', 'again')).toThrow(/registered twice/);
  });
});
