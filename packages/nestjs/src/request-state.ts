import type { ExploPageResult } from '@explo-embed/core/adapter';
import { type DEFAULT_DASHBOARD, EXPLO_REQUEST_STATE } from './tokens.js';

/** Token results held on one request: per dashboard asked for, and the attached page token. */
export interface ExploRequestState {
  dashboards: Map<string | typeof DEFAULT_DASHBOARD, ExploPageResult>;
  page: ExploPageResult | undefined;
}

/** This request's state, created on first use. */
export function requestState(request: object): ExploRequestState {
  const holder = request as { [EXPLO_REQUEST_STATE]?: ExploRequestState };
  holder[EXPLO_REQUEST_STATE] ??= { dashboards: new Map(), page: undefined };
  return holder[EXPLO_REQUEST_STATE];
}

/**
 * The token attached to this request (GET or HEAD with a customer), on either platform.
 * On the Express platform the same values are in `res.locals.exploJwt` / `exploToken` / `exploError`.
 */
export function getExploPage(request: object): ExploPageResult | undefined {
  return (request as { [EXPLO_REQUEST_STATE]?: ExploRequestState })[EXPLO_REQUEST_STATE]?.page;
}
