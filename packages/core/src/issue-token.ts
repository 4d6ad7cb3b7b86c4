import { type CustomerLike, isNoCustomer, normalizeCustomerId } from './customer.js';
import type { ExploEmbed, ExploPublicToken, ExploToken } from './embed.js';
import {
  ExploDashboardError,
  ExploEmbedError,
  ExploForbiddenError,
  ExploHookError,
  ExploInternalError,
  ExploUnauthenticatedError,
} from './errors.js';

/** Resolves the host app's customer for one request; may be async. */
export type CustomerResolver = () => CustomerLike | Promise<CustomerLike>;

/** What {@link issueToken} needs to know about one request. */
export interface IssueRequest {
  customer: CustomerResolver;
  dashboard?: string | undefined;
  fresh?: boolean;
}

/**
 * The one path from a request to a token, shared by the token route and page attachment:
 * customer (401 if none) -> allowlist (404) -> `authorize` (403) -> mint. Every failure is an
 * {@link ExploEmbedError}; anything else is wrapped as `ERR_EXPLO_INTERNAL`.
 */
export async function issueToken(embed: ExploEmbed, request: IssueRequest): Promise<ExploToken> {
  let raw: CustomerLike;
  try {
    raw = await request.customer();
  } catch (error) {
    throw new ExploHookError('customer', error);
  }
  if (isNoCustomer(raw)) throw new ExploUnauthenticatedError('Log in first: this request has no customer.');
  const customerId = normalizeCustomerId(raw);
  const dashboard = request.dashboard ?? embed.defaultDashboard;
  if (!embed.hasDashboard(dashboard)) throw new ExploDashboardError(dashboard);
  if (!(await embed.authorize(customerId, dashboard))) {
    throw new ExploForbiddenError(`This customer may not view the dashboard "${dashboard}".`);
  }
  return embed.mint({ customerId, dashboard, fresh: request.fresh === true });
}

/** Any thrown value as a coded error; non-library errors become `ERR_EXPLO_INTERNAL` (cause kept). */
export function toExploError(error: unknown): ExploEmbedError {
  if (error instanceof ExploEmbedError) return error;
  return new ExploInternalError('Unexpected failure while issuing an Explo token.', { cause: error });
}

/** The browser-safe view of a token: no embed id, no key id. */
export function publicToken(token: ExploToken): ExploPublicToken {
  return { jwt: token.jwt, expiresAt: token.expiresAt, expiresIn: token.expiresIn, dashboard: token.dashboard };
}
