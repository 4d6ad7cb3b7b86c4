import {
  ExploDashboardError,
  ExploForbiddenError,
  ExploHookError,
  type ExploHookName,
  ExploUnauthenticatedError,
  toExploError,
} from '../errors/errors.js';
import { type MaybePromise, whenReady } from '../lib/maybe-async.js';
import { type NormalizedClaims, normalizeClaims } from '../model/claims.js';
import { type CustomerLike, isNoCustomer, normalizeCustomerId } from '../model/customer.js';
import type { DashboardAllowlist } from '../model/dashboards.js';
import type { ExploToken, IssueRequest, MintedToken, MintInput, MintRequest } from '../model/token.js';
import type { Reporter } from '../operations/reporter.js';
import type { ExploAuthorize, ExploClaimsFunction } from '../options/options.js';
import type { TokenReuse } from '../reuse/token-reuse.js';

/** Where a request for a token came from: the token route answers 401 without a customer; a page simply gets none. */
export type IssuePhase = 'route' | 'page';

/**
 * Owns request policy, in one direction: customer -> allowlist -> authorize -> claims -> token
 * (reused or minted) -> report. Each check is made once, here, and nowhere below.
 */
export interface Issuer {
  /**
   * A request's token; a page with nobody logged in gets undefined, the route a 401 error.
   * Failures are reported to `onError`, then thrown coded.
   */
  issue(request: IssueRequest, phase: 'route'): MaybePromise<ExploToken>;
  issue(request: IssueRequest, phase: IssuePhase): MaybePromise<ExploToken | undefined>;
  /** Server code's own call: no customer hook and no `authorize` (the caller is trusted). Throws coded errors. */
  mint(request: MintRequest): Promise<ExploToken>;
  /**
   * Whether a page token can be issued without waiting now (a synchronous customer hook aside): no
   * `authorize` hook, fixed claims, and local minting with its key material ready.
   */
  synchronous(): boolean;
}

/** What the issuer decides with. */
export interface IssuerSettings {
  readonly dashboards: DashboardAllowlist;
  readonly authorize: ExploAuthorize | undefined;
  readonly claims: Readonly<NormalizedClaims> | ExploClaimsFunction;
  readonly clock: () => number;
}

type Target = Omit<MintInput, 'claims'>;

export function createIssuer(settings: IssuerSettings, tokens: TokenReuse, reporter: Reporter): Issuer {
  const { dashboards, authorize, claims, clock } = settings;

  const target = (customerId: string, dashboard: string | undefined): Target => {
    const name = dashboard ?? dashboards.defaultName;
    const embedId = typeof name === 'string' ? dashboards.embedIds.get(name) : undefined;
    if (embedId === undefined) throw new ExploDashboardError(String(name));
    return { customerId, dashboard: name, embedId };
  };

  // The token a caller gets, from what reuse handed out.
  const exploToken = (minted: MintedToken, { dashboard, embedId }: MintInput): ExploToken => ({
    jwt: minted.jwt,
    expiresAt: new Date(minted.expMs),
    expiresIn: Math.max(0, Math.floor((minted.expMs - clock()) / 1000)),
    dashboard,
    embedId,
    keyId: minted.keyId,
  });
  const fromReuse = (input: MintInput, fresh: boolean): MaybePromise<ExploToken> => {
    const minted = tokens.get(input, fresh);
    return minted instanceof Promise ? minted.then((ready) => exploToken(ready, input)) : exploToken(minted, input);
  };
  // Claims come after the checks: a claims function may be costly, and is only asked for allowed requests.
  // Objects are written out, not spread, and the path of a reuse hit with fixed claims makes no
  // closure: it is the path every page takes, with the processor's caches cold.
  const token = ({ customerId, dashboard, embedId }: Target, fresh: boolean): MaybePromise<ExploToken> => {
    if (typeof claims !== 'function') return fromReuse({ customerId, dashboard, embedId, claims }, fresh);
    return whenReady(
      hook('claims', () => claims({ customerId, dashboard, embedId })),
      (computed) =>
        fromReuse({ customerId, dashboard, embedId, claims: normalizeClaims(computed, 'The claims function result') }, fresh),
    );
  };

  /** Reports a failure with what is known of the request, then throws it coded. */
  const failed = (caught: unknown, phase: IssuePhase, dashboard: string | undefined, customerId: string | undefined): never => {
    const error = toExploError(caught);
    reporter.failed(error, {
      phase,
      ...(customerId === undefined ? {} : { customerId }),
      ...(dashboard === undefined ? {} : { dashboard }),
    });
    throw error;
  };

  // Everything after the customer hook answered.
  const forCustomer = (raw: CustomerLike, request: IssueRequest, phase: IssuePhase): MaybePromise<ExploToken | undefined> => {
    let customerId: string;
    try {
      if (isNoCustomer(raw)) {
        if (phase === 'page') return undefined;
        throw new ExploUnauthenticatedError('Log in first: this request has no customer.');
      }
      customerId = normalizeCustomerId(raw);
    } catch (caught) {
      return failed(caught, phase, request.dashboard, undefined);
    }
    try {
      const allowed = target(customerId, request.dashboard);
      const fresh = request.fresh === true;
      const issued = authorize === undefined ? token(allowed, fresh) : authorized(authorize, allowed, fresh);
      return issued instanceof Promise ? issued.catch((caught) => failed(caught, phase, request.dashboard, customerId)) : issued;
    } catch (caught) {
      return failed(caught, phase, request.dashboard, customerId);
    }
  };

  const authorized = (check: ExploAuthorize, allowed: Target, fresh: boolean): MaybePromise<ExploToken> =>
    whenReady(
      hook('authorize', () => check(allowed.customerId, allowed.dashboard)),
      (verdict): MaybePromise<ExploToken> => {
        if (verdict !== true) throw new ExploForbiddenError(`This customer may not view the dashboard "${allowed.dashboard}".`);
        return token(allowed, fresh);
      },
    );

  const issue = (request: IssueRequest, phase: IssuePhase): MaybePromise<ExploToken | undefined> => {
    // The customer hook is called as `hook()` calls the others (thrown or rejected: ERR_EXPLO_HOOK_FAILED),
    // written out here because every page takes this path and `hook()` makes two closures per call.
    let raw: CustomerLike | Promise<CustomerLike>;
    try {
      raw = request.customer();
    } catch (error) {
      return failed(new ExploHookError('customer', error), phase, request.dashboard, undefined);
    }
    if (raw instanceof Promise) {
      return raw.then(
        (value) => forCustomer(value, request, phase),
        (error) => failed(new ExploHookError('customer', error), phase, request.dashboard, undefined),
      );
    }
    return forCustomer(raw, request, phase);
  };

  return {
    issue: issue as Issuer['issue'],
    synchronous: () => authorize === undefined && typeof claims !== 'function' && tokens.synchronous(),
    mint(request) {
      try {
        if (typeof request !== 'object' || request === null)
          throw new TypeError('mint() takes { customerId, dashboard?, fresh? }.');
        return Promise.resolve(token(target(normalizeCustomerId(request.customerId), request.dashboard), request.fresh === true));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

/** Runs a host hook; whatever it throws or rejects with becomes `ERR_EXPLO_HOOK_FAILED` (cause kept). */
function hook<T>(name: ExploHookName, call: () => T | Promise<T>): MaybePromise<T> {
  const failed = (error: unknown): never => {
    throw new ExploHookError(name, error);
  };
  try {
    const value = call();
    return value instanceof Promise ? value.catch(failed) : value;
  } catch (error) {
    return failed(error);
  }
}
