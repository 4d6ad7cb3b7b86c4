import type { Provisioning } from '../customers/provisioning.js';
import {
  ExploDashboardError,
  ExploForbiddenError,
  ExploHookError,
  type ExploHookName,
  ExploUnauthenticatedError,
  toExploError,
} from '../errors/errors.js';
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
 * Owns request policy, in one direction: customer -> allowlist -> authorize -> claims -> the
 * customer provisioned in Explo (with `customers`) -> token (reused or minted) -> report. Each check
 * is made once, here, and nowhere below. Failures are reported (`onError`, the log), then thrown coded.
 */
export interface Issuer {
  /** A request's token; a page with nobody logged in gets undefined, the route a 401 error. */
  issue(request: IssueRequest, phase: 'route'): Promise<ExploToken>;
  issue(request: IssueRequest, phase: IssuePhase): Promise<ExploToken | undefined>;
  /**
   * A page's token while the page renders: the token itself when it can be had at once (the
   * customer hook answered at once; no `authorize`, fixed claims; a reuse hit, or a local mint),
   * else the promise of it, as {@link Issuer.issue} gives it.
   */
  issueNow(request: IssueRequest): ExploToken | undefined | Promise<ExploToken | undefined>;
  /**
   * Whether {@link Issuer.issueNow} can answer at once whenever the customer hook does (with
   * `customers`, for a customer this process knows Explo holds: see {@link Issuer.provisioned}).
   */
  answersNow(): boolean;
  /** True with `customers`: whether a page can be produced at once then depends on its customer. */
  readonly provisions: boolean;
  /**
   * For the page's fast path: false for a customer (as the hook answered) that Explo may not hold
   * yet, whose first page has to wait for it; true otherwise (nobody, an id that is invalid anyway).
   */
  provisioned(customer: CustomerLike | Promise<CustomerLike>): boolean;
  /** Server code's own call: no customer hook and no `authorize` (the caller is trusted). */
  mint(request: MintRequest): Promise<ExploToken>;
}

/** What the issuer decides with. */
export interface IssuerSettings {
  readonly dashboards: DashboardAllowlist;
  readonly authorize: ExploAuthorize | undefined;
  readonly claims: Readonly<NormalizedClaims> | ExploClaimsFunction;
  readonly clock: () => number;
}

type Target = Omit<MintInput, 'claims'>;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

export function createIssuer(settings: IssuerSettings, tokens: TokenReuse, reporter: Reporter, customers?: Provisioning): Issuer {
  const { dashboards, authorize, claims, clock } = settings;
  const fixedClaims = typeof claims === 'function' ? undefined : claims;

  const target = (customerId: string, dashboard: string | undefined): Target => {
    const name = dashboard ?? dashboards.defaultName;
    const embedId = typeof name === 'string' ? dashboards.embedIds.get(name) : undefined;
    if (embedId === undefined) throw new ExploDashboardError(String(name));
    return { customerId, dashboard: name, embedId };
  };

  // The token a caller gets, from what reuse handed out.
  const exploToken = (minted: MintedToken, { dashboard, embedId }: Target): ExploToken => ({
    jwt: minted.jwt,
    expiresAt: new Date(minted.expMs),
    expiresIn: Math.max(0, Math.floor((minted.expMs - clock()) / 1000)),
    dashboard,
    embedId,
    keyId: minted.keyId,
  });

  /** Reports a failure with what is known of the request, then throws it coded. */
  const failed = (caught: unknown, phase: IssuePhase, dashboard: string | undefined, customerId?: string): never => {
    const error = toExploError(caught);
    reporter.failed(error, {
      phase,
      ...(customerId === undefined ? {} : { customerId }),
      ...(dashboard === undefined ? {} : { dashboard }),
    });
    throw error;
  };

  /** The host's customer hook, called at once; whatever it throws becomes `ERR_EXPLO_HOOK_FAILED`. */
  const callCustomer = (request: IssueRequest): CustomerLike | Promise<CustomerLike> => {
    try {
      return request.customer();
    } catch (error) {
      return failed(new ExploHookError('customer', error), 'page', request.dashboard);
    }
  };

  /** Who asks for which dashboard, checked: undefined for a page with nobody logged in. */
  const checked = (raw: CustomerLike, request: IssueRequest, phase: IssuePhase): Target | undefined => {
    if (isNoCustomer(raw)) {
      if (phase === 'page') return undefined;
      return failed(new ExploUnauthenticatedError('Log in first: this request has no customer.'), phase, request.dashboard);
    }
    let customerId: string | undefined;
    try {
      customerId = normalizeCustomerId(raw);
      return target(customerId, request.dashboard);
    } catch (caught) {
      return failed(caught, phase, request.dashboard, customerId);
    }
  };

  // With `customers`: undefined when Explo is known to hold the customer, else the promise of provisioning it.
  const provisioning = ({ customerId, dashboard, embedId }: Target) => customers?.ensure(customerId, { dashboard, embedId });

  // What the minter gets: the target and its claims (fixed, or the claims function's, checked).
  const mintInput = async (allowed: Target): Promise<MintInput> => ({
    ...allowed,
    claims:
      fixedClaims ??
      normalizeClaims(await hook('claims', () => (claims as ExploClaimsFunction)(allowed)), 'The claims function result'),
  });

  // After the customer is known: authorize, then claims (a claims function may be costly: asked for
  // allowed requests only), then the customer provisioned in Explo (a network call: last).
  const tokenFor = async (allowed: Target, request: IssueRequest, phase: IssuePhase): Promise<ExploToken> => {
    try {
      if (authorize !== undefined) {
        const verdict = await hook('authorize', () => authorize(allowed.customerId, allowed.dashboard));
        if (verdict !== true) throw new ExploForbiddenError(`This customer may not view the dashboard "${allowed.dashboard}".`);
      }
      const input = await mintInput(allowed);
      await provisioning(allowed);
      // Only the token route's fresh asks spend the customer's fresh budget.
      const minted = await tokens.get(input, request.fresh === true ? { budgeted: phase === 'route' } : undefined);
      return exploToken(minted, allowed);
    } catch (caught) {
      return failed(caught, phase, request.dashboard, allowed.customerId);
    }
  };

  async function issue(request: IssueRequest, phase: IssuePhase): Promise<ExploToken | undefined> {
    let raw: CustomerLike;
    try {
      raw = await request.customer();
    } catch (error) {
      return failed(new ExploHookError('customer', error), phase, request.dashboard);
    }
    const allowed = checked(raw, request, phase);
    return allowed === undefined ? undefined : tokenFor(allowed, request, phase);
  }

  return {
    issue: issue as Issuer['issue'],
    issueNow(request) {
      const raw = callCustomer(request);
      if (isThenable(raw)) return issue({ ...request, customer: () => raw }, 'page');
      const allowed = checked(raw, request, 'page');
      if (allowed === undefined) return undefined;
      // A customer Explo may not hold yet goes the async way (provisioned first); a known one stays here.
      const minted =
        authorize === undefined && fixedClaims !== undefined && provisioning(allowed) === undefined
          ? tokens.now({ ...allowed, claims: fixedClaims })
          : undefined;
      return minted === undefined ? tokenFor(allowed, request, 'page') : exploToken(minted, allowed);
    },
    answersNow: () => authorize === undefined && fixedClaims !== undefined && tokens.answersNow(),
    provisions: customers !== undefined,
    provisioned(raw) {
      if (customers === undefined || isNoCustomer(raw)) return true;
      if (isThenable(raw)) return false;
      try {
        return customers.knows(normalizeCustomerId(raw));
      } catch {
        return true;
      }
    },
    async mint(request) {
      if (typeof request !== 'object' || request === null)
        throw new TypeError('mint() takes { customerId, dashboard?, fresh? }.');
      const allowed = target(normalizeCustomerId(request.customerId), request.dashboard);
      const input = await mintInput(allowed);
      await provisioning(allowed);
      return exploToken(await tokens.get(input, request.fresh === true ? { budgeted: false } : undefined), allowed);
    },
  };
}

/** Runs a host hook; whatever it throws or rejects with becomes `ERR_EXPLO_HOOK_FAILED` (cause kept). */
async function hook<T>(name: ExploHookName, call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new ExploHookError(name, error);
  }
}
