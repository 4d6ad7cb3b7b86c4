import { ExploForbiddenError, ExploMethodError, toExploError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import type { Issuer } from '../issue/issuer.js';
import { type CustomerResolver, publicToken } from '../model/token.js';
import type { Reporter } from '../operations/reporter.js';
import { corsHeaders, type ResolvedCors } from './cors.js';
import { BASE_HEADERS, type ExploHttpResponse, jsonResponse, problemResponse } from './http.js';
import { parseTokenQuery } from './query.js';

/** One token-route request, as every adapter describes it. */
export interface TokenRouteRequest {
  /** HTTP method. Only GET is served. */
  method: string;
  /** Raw query string, without the leading `?`. */
  query: string;
  /** Reads the customer from the host app's session. */
  customer: CustomerResolver;
  /** The request's `Origin` header, for `cors`. */
  origin?: string | undefined;
  /** The request's `Sec-Fetch-Site` header: a browser's word on where the request comes from. */
  site?: string | undefined;
}

/** Answers one token-route request. Never throws. */
export type TokenRoute = (request: TokenRouteRequest) => Promise<ExploHttpResponse>;

/**
 * The framework-free token route: every adapter answers with exactly this.
 * - 200 `{ jwt, expiresAt, expiresIn, dashboard }`
 * - 400 malformed query, 401 no customer, 403 refused by `authorize`, 404 unknown dashboard,
 *   405 not GET, 502 Explo's API refused, 503 no usable secret or API (with `Retry-After`),
 *   500 a host hook failed (all `application/problem+json`; never a stack, never a key).
 *
 * - 403 too for a request another site made (`Sec-Fetch-Site: cross-site`) from an origin `cors` does
 *   not list.
 *
 * It owns the HTTP facts (method, query, origin); the issuer owns everything about the customer.
 */
export function createTokenRoute(issuer: Issuer, reporter: Reporter, cors?: ResolvedCors): TokenRoute {
  const answer = async ({ method, query, customer, origin, site }: TokenRouteRequest): Promise<ExploHttpResponse> => {
    let request: ReturnType<typeof parseTokenQuery>;
    try {
      if (method !== 'GET') throw new ExploMethodError(`Use GET for the token route, not ${quoteUntrusted(method, 16)}.`);
      // Another site's page (an <img>, a form, a fetch with the user's cookies) may not make this
      // route mint on the user's behalf: only the app's own pages, and origins `cors` allows.
      // A header given twice reads `cross-site, cross-site`: any cross-site value counts.
      const crossSite = site?.split(',').some((value) => value.trim() === 'cross-site') === true;
      if (crossSite && !(cors !== undefined && origin !== undefined && cors.origins.has(origin))) {
        throw new ExploForbiddenError(
          'The token route answers its own site only (Sec-Fetch-Site: cross-site): list the origin in the cors option.',
        );
      }
      request = parseTokenQuery(query);
    } catch (caught) {
      const error = toExploError(caught);
      reporter.failed(error, { phase: 'route' });
      return problemResponse(error);
    }
    try {
      return jsonResponse(200, publicToken(await issuer.issue({ customer, ...request }, 'route')));
    } catch (caught) {
      // Already reported by the issuer.
      return problemResponse(toExploError(caught));
    }
  };
  if (cors === undefined) return answer;
  // Every answer carries the CORS headers, errors too: a front end on another origin must be able
  // to read a 401 to end its refreshing, rather than see a network error and retry forever.
  return async (request) => {
    const headers = corsHeaders(cors, request.origin);
    if (request.method === 'OPTIONS') {
      const allowed = headers['access-control-allow-origin'] !== undefined;
      return { status: 204, headers: { ...BASE_HEADERS, ...(allowed ? cors.preflight : {}), ...headers }, body: '' };
    }
    const response = await answer(request);
    return { ...response, headers: { ...response.headers, ...headers } };
  };
}
