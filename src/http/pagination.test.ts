import { describe, expect, it } from 'vitest';
import { paginate } from './pagination.js';

const items = Array.from({ length: 5 }, (_, i) => ({ id: `id${i}` }));
const ids = (q: string): string[] => paginate(items, new URLSearchParams(q), '/x').items.map((x) => x.id);

describe('paginate', () => {
  it.each([
    ['', ['id0', 'id1', 'id2', 'id3', 'id4']],
    ['limit=2', ['id0', 'id1']],
    ['limit=2&offset=2', ['id2', 'id3']],
    ['offset=4', ['id4']],
    ['offset=9', []],
    ['after=id1', ['id2', 'id3', 'id4']],
    ['after=id1&limit=1', ['id2']],
    ['after=unknown', []],
    ['descending=true&limit=2', ['id4', 'id3']],
  ])('%s', (q, expected) => {
    expect(ids(q)).toEqual(expected);
  });

  it('links to the next and previous pages, keeping other parameters', () => {
    const page = paginate(items, new URLSearchParams('org=acme&limit=2&offset=2'), '/api/v2/buckets');
    expect(page.links).toEqual({
      self: '/api/v2/buckets?descending=false&limit=2&offset=2&org=acme',
      next: '/api/v2/buckets?descending=false&limit=2&offset=4&org=acme',
      prev: '/api/v2/buckets?descending=false&limit=2&offset=0&org=acme',
    });
  });

  it.each([
    ['limit=0', 'limit must be between 1 and 100'],
    ['limit=101', 'limit must be between 1 and 100'],
    ['limit=x', 'limit must be an integer'],
    ['offset=-1', 'offset must be greater than or equal to 0'],
  ])('refuses %s', (q, message) => {
    expect(() => ids(q)).toThrow(message);
  });
});
