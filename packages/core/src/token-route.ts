import type { ExploEmbed } from './embed.js';
import { ExploMethodError } from './errors.js';
import { type ExploHttpResponse, jsonResponse, problemResponse } from './http.js';
import { type CustomerResolver, issueToken, publicToken, toExploError } from './issue-token.js';
import { parseTokenQuery } from './query.js';

/** One token-route request, as every adapter describes it. */
export interface TokenRouteRequest {
  /** HTTP method. Only GET is served. */
  method: string;
  /** Raw query string, without the leading `?`. */
  query: string;
  /** Reads the customer from the host app's session. */
  customer: CustomerResolver;
}

/**
 * The framework-free token route: every adapter answers with exactly this.
 * - 200 `{ jwt, expiresAt, expiresIn, dashboard }`
 * - 400 malformed query, 401 no customer, 403 refused by `authorize`, 404 unknown dashboard,
 *   405 not GET, 503 no usable secret (with `Retry-After`), 500 a host hook failed
 *   (all `application/problem+json`; never a stack, never a key).
 *
 * It never throws.
 */
export async function handleTokenRequest(embed: ExploEmbed, request: TokenRouteRequest): Promise<ExploHttpResponse> {
  let dashboard: string | undefined;
  try {
    if (request.method !== 'GET') {
      return problemResponse(new ExploMethodError(`Use GET for the token route, not ${request.method.slice(0, 16)}.`), {
        allow: 'GET',
      });
    }
    const query = parseTokenQuery(request.query);
    dashboard = query.dashboard;
    const token = await issueToken(embed, { customer: request.customer, dashboard: query.dashboard, fresh: query.fresh });
    return jsonResponse(200, publicToken(token));
  } catch (caught) {
    const error = toExploError(caught);
    embed.reportError(error, dashboard === undefined ? { phase: 'route' } : { phase: 'route', dashboard });
    return problemResponse(error);
  }
}
