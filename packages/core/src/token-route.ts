import { ExploMethodError, toExploError } from './errors.js';
import { type ExploHttpResponse, jsonResponse, problemResponse } from './http.js';
import type { Issuer } from './issuer.js';
import { parseTokenQuery } from './query.js';
import type { Reporter } from './reporter.js';
import { type CustomerResolver, publicToken } from './token.js';

/** One token-route request, as every adapter describes it. */
export interface TokenRouteRequest {
  /** HTTP method. Only GET is served. */
  method: string;
  /** Raw query string, without the leading `?`. */
  query: string;
  /** Reads the customer from the host app's session. */
  customer: CustomerResolver;
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
 * It owns the HTTP facts (method, query); the issuer owns everything about the customer.
 */
export function createTokenRoute(issuer: Issuer, reporter: Reporter): TokenRoute {
  return async ({ method, query, customer }) => {
    let request: ReturnType<typeof parseTokenQuery>;
    try {
      if (method !== 'GET') throw new ExploMethodError(`Use GET for the token route, not ${method.slice(0, 16)}.`);
      request = parseTokenQuery(query);
    } catch (caught) {
      const error = toExploError(caught);
      reporter.failed(error, { phase: 'route' });
      return problemResponse(error, error instanceof ExploMethodError ? { allow: 'GET' } : {});
    }
    try {
      return jsonResponse(200, publicToken(await issuer.issue({ customer, ...request }, 'route')));
    } catch (caught) {
      // Already reported by the issuer.
      return problemResponse(toExploError(caught));
    }
  };
}
