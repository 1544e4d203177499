import { invalid } from '../core/errors.js';

export interface Page<T> {
  items: T[];
  links: { self: string; next?: string; prev?: string };
}

export interface PageOptions {
  defaultLimit?: number;
  maxLimit?: number;
}

/**
 * InfluxDB list paging over an already filtered list: `offset`, `limit` (default 20, 1..100) and
 * `after` (an id; items following it). `descending=true` reverses the order first.
 */
export function paginate<T extends { id: string }>(
  all: readonly T[],
  query: URLSearchParams,
  basePath: string,
  options: PageOptions = {},
): Page<T> {
  const maxLimit = options.maxLimit ?? 100;
  const limit = intParam(query, 'limit', options.defaultLimit ?? 20);
  if (limit < 1 || limit > maxLimit) throw invalid(`limit must be between 1 and ${maxLimit}`);
  const offset = intParam(query, 'offset', 0);
  if (offset < 0) throw invalid('offset must be greater than or equal to 0');
  const descending = query.get('descending') === 'true';
  let items = descending ? [...all].reverse() : [...all];
  const after = query.get('after');
  if (after !== null && after !== '') {
    const i = items.findIndex((x) => x.id === after);
    items = i < 0 ? [] : items.slice(i + 1);
  }
  const page = items.slice(offset, offset + limit);

  const link = (o: number): string => {
    const q = new URLSearchParams();
    q.set('descending', String(descending));
    q.set('limit', String(limit));
    q.set('offset', String(o));
    for (const [k, v] of query) if (!['descending', 'limit', 'offset'].includes(k)) q.append(k, v);
    return `${basePath}?${q.toString()}`;
  };
  const links: Page<T>['links'] = { self: link(offset) };
  if (offset + limit < items.length) links.next = link(offset + limit);
  if (offset > 0) links.prev = link(Math.max(0, offset - limit));
  return { items: page, links };
}

function intParam(query: URLSearchParams, name: string, dflt: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return dflt;
  if (!/^-?\d+$/.test(raw)) throw invalid(`${name} must be an integer`);
  return Number(raw);
}
