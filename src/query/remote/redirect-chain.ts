/**
 * Go's `http.Client` gives up when a request would be the 11th of one exchange, i.e. on the
 * 10th redirect response (its default CheckRedirect refuses once 10 requests were sent).
 */
export const MAX_REQUESTS = 10;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Never handed to a host other than the first one's domain (or its subdomains). Lower case. */
const SENSITIVE = new Set(['authorization', 'www-authenticate', 'cookie', 'cookie2', 'proxy-authorization', 'proxy-authenticate']);

/** Describe the body, so they are left out when a redirect drops the body. Lower case. */
const BODY_HEADERS = new Set(['content-encoding', 'content-language', 'content-location', 'content-type']);

/** The next request of a redirected exchange. */
export interface RedirectHop {
  readonly url: URL;
  readonly method: string;
  /** 307/308: the first request's body is sent again (a 301/302/303 hop has none). */
  readonly withBody: boolean;
  /**
   * `Referer` to add (the previous URL, without user info), unless the first request set its
   * own; undefined after an https → http step.
   */
  readonly referer: string | undefined;
  /** Whether a header of the first request (any case) goes along on this hop. */
  keepsHeader(name: string): boolean;
}

/**
 * A redirect chain ended in error: a Location that is not a usable URL, a scheme other than
 * http(s), or too many redirects. `url` is the one Go's `*url.Error` names (the refused
 * Location as written, or the URL that could not be followed).
 */
export class RedirectError extends Error {
  constructor(
    readonly url: string,
    message: string,
  ) {
    super(message);
    this.name = 'RedirectError';
  }
}

/**
 * How one exchange follows redirects, as Go's net/http client does it (and so InfluxDB's Flux
 * for `from/to/buckets(host:)`, `http.post`, `requests`…): one chain per exchange, asked with
 * each response (`next`); the caller sends each hop through its own address policy, so every
 * address a chain reaches is checked as the first one was.
 *
 * - 301/302/303 turn anything but GET/HEAD into a GET without body (Go keeps no POST body
 *   across them, whatever RFC 7231 allows); 307/308 repeat the method and the first body.
 * - A redirect without Location is the final response.
 * - Authorization, Cookie and the like are dropped for good once a hop leaves the first
 *   request's host for one that is neither it nor a subdomain of it (the port does not count).
 * - `stopped after 10 redirects` (Go's words) once ten requests went out.
 */
export class RedirectChain {
  readonly #first: URL;
  #current: URL;
  #method: string;
  #sent = 1;
  #stripSensitive = false;

  constructor(url: URL, method: string) {
    this.#first = url;
    this.#current = url;
    this.#method = method;
  }

  /** The next request for a response, or undefined when that response is the final one. */
  next(status: number, location: string | null | undefined): RedirectHop | undefined {
    if (!REDIRECTS.has(status) || location === null || location === undefined || location === '') return undefined;
    let url: URL;
    try {
      url = new URL(location, this.#current);
    } catch (e) {
      throw new RedirectError(this.#current.href, `failed to parse Location header ${JSON.stringify(location)}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const withBody = status === 307 || status === 308;
    const method = withBody || this.#method === 'GET' || this.#method === 'HEAD' ? this.#method : 'GET';
    if (!this.#stripSensitive && url.host !== this.#first.host && !isDomainOrSubdomain(hostnameOf(url), hostnameOf(this.#first))) {
      this.#stripSensitive = true;
    }
    const referer = refererFor(this.#current, url);
    if (this.#sent >= MAX_REQUESTS) throw new RedirectError(location, `stopped after ${MAX_REQUESTS} redirects`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new RedirectError(url.href, `unsupported protocol scheme ${JSON.stringify(url.protocol.slice(0, -1))}`);
    }
    this.#sent++;
    this.#current = url;
    this.#method = method;
    const strip = this.#stripSensitive;
    return {
      url,
      method,
      withBody,
      referer,
      keepsHeader: (name) => {
        const k = name.toLowerCase();
        return !(strip && SENSITIVE.has(k)) && !(!withBody && BODY_HEADERS.has(k));
      },
    };
  }
}

/** The host name as Go compares it: no port, no IPv6 brackets (URL already lower-cases and punycodes it). */
function hostnameOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** `sub` is `parent` or ends in `.parent`; never for an IPv6 address (a zone could fake the suffix). */
function isDomainOrSubdomain(sub: string, parent: string): boolean {
  if (sub === parent) return true;
  if (/[:%]/.test(sub)) return false;
  return sub.endsWith(`.${parent}`);
}

function refererFor(last: URL, next: URL): string | undefined {
  if (last.protocol === 'https:' && next.protocol === 'http:') return undefined;
  if (last.username === '' && last.password === '') return last.href;
  const bare = new URL(last.href);
  bare.username = '';
  bare.password = '';
  return bare.href;
}
