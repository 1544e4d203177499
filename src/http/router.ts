/**
 * A small path router: static segments and `:name` parameters, one handler per method. Lookup is a
 * map hit for fully static paths and a scan of the (few) patterns with the same segment count
 * otherwise. A trailing slash is ignored (`/api/v2/` is `/api/v2`, which the JS client requests).
 */
export type Params = Record<string, string>;

export type RouteLookup<H> =
  | { readonly kind: 'found'; readonly handler: H; readonly params: Params; readonly pattern: string }
  | { readonly kind: 'method not allowed'; readonly allow: readonly string[]; readonly pattern: string }
  | { readonly kind: 'not found' };

interface PatternRoute<H> {
  pattern: string;
  segments: readonly string[];
  handlers: Map<string, H>;
}

export class Router<H> {
  private readonly staticRoutes = new Map<string, PatternRoute<H>>();
  private readonly paramRoutes = new Map<number, PatternRoute<H>[]>();

  add(method: string, pattern: string, handler: H): this {
    const path = normalize(pattern);
    const segments = split(path);
    const isStatic = segments.every((s) => !s.startsWith(':'));
    let route: PatternRoute<H> | undefined;
    if (isStatic) {
      route = this.staticRoutes.get(path);
      if (route === undefined) {
        route = { pattern: path, segments, handlers: new Map() };
        this.staticRoutes.set(path, route);
      }
    } else {
      const list = this.paramRoutes.get(segments.length) ?? [];
      this.paramRoutes.set(segments.length, list);
      route = list.find((r) => r.pattern === path);
      if (route === undefined) {
        route = { pattern: path, segments, handlers: new Map() };
        list.push(route);
      }
    }
    const m = method.toUpperCase();
    if (route.handlers.has(m)) throw new Error(`route ${m} ${path} registered twice`);
    route.handlers.set(m, handler);
    return this;
  }

  /** `path` is the URL path without query string, still percent-encoded. */
  find(method: string, rawPath: string): RouteLookup<H> {
    const path = normalize(rawPath);
    const staticRoute = this.staticRoutes.get(path);
    if (staticRoute !== undefined) return pick(staticRoute, method, {});
    const segments = split(path);
    // Static routes win over parameter routes; among parameter routes, the first registered wins.
    for (const route of this.paramRoutes.get(segments.length) ?? []) {
      const params = matchSegments(route.segments, segments);
      if (params !== undefined) return pick(route, method, params);
    }
    return { kind: 'not found' };
  }
}

function pick<H>(route: PatternRoute<H>, method: string, params: Params): RouteLookup<H> {
  const m = method.toUpperCase();
  const handler = route.handlers.get(m) ?? (m === 'HEAD' ? route.handlers.get('GET') : undefined);
  if (handler !== undefined) return { kind: 'found', handler, params, pattern: route.pattern };
  return { kind: 'method not allowed', allow: [...route.handlers.keys()], pattern: route.pattern };
}

function matchSegments(pattern: readonly string[], segments: readonly string[]): Params | undefined {
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const s = segments[i]!;
    if (p.startsWith(':')) {
      if (s === '') return undefined;
      let value: string;
      try {
        value = decodeURIComponent(s);
      } catch {
        return undefined;
      }
      params[p.slice(1)] = value;
    } else if (p !== s) {
      return undefined;
    }
  }
  return params;
}

function normalize(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function split(path: string): string[] {
  return path.split('/').slice(1);
}
