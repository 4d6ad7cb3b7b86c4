import type { CustomerLike, ExploEmbed } from '@explo-embed/core';
import {
  createExploAdapter,
  type ExploAdapterAction,
  type ExploAdapterOptions,
  type ExploLocals,
  type ExploPageResult,
  pageHeaders,
  pageLocals,
  splitUrl,
} from '@explo-embed/core/adapter';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

// What app code needs, so one install is enough; the rest of the core API is in @explo-embed/core.
export {
  type CustomerLike,
  type Duration,
  decryptExploJwt,
  type ExploApiOptions,
  type ExploClaimOptions,
  type ExploEmbed,
  ExploEmbedError,
  type ExploEmbedOptions,
  type ExploErrorCode,
  type ExploErrorContext,
  type ExploMintEvent,
  type ExploPublicToken,
  type ExploSecret,
  type ExploSecretProvider,
  type ExploToken,
} from '@explo-embed/core';
export type { ExploLocals } from '@explo-embed/core/adapter';

declare global {
  namespace Express {
    /** `exploJwt`, `exploToken` and `exploError`, set by `@explo-embed/express`. */
    interface Locals extends ExploLocals {}
  }
}

/**
 * Options of {@link exploEmbed}: every `@explo-embed/core` option, plus `customer(req)`, `route`
 * and `attach`. The default `customer` reads `req.session.customerId` (express-session).
 */
export type ExploExpressOptions = ExploAdapterOptions<Request>;

/** The middleware returned by {@link exploEmbed}, with a route-level form and the core minter. */
export interface ExploExpressMiddleware extends RequestHandler {
  /** The core minter: `mint()`, `decrypt()`. */
  readonly embed: ExploEmbed;
  /**
   * Route-level form: attaches a token of `dashboard` (default: the default dashboard) to
   * `res.locals` for this route only, whatever the request accepts.
   */
  jwt(dashboard?: string): RequestHandler;
}

/** Default customer resolver: `req.session.customerId`, as set by the app's login with express-session. */
export function sessionCustomer(req: Request): CustomerLike {
  const session = (req as Request & { session?: { customerId?: CustomerLike } }).session;
  return session?.customerId;
}

/**
 * Express 4 and 5 middleware: serves `GET /explo/token` and sets `res.locals.exploJwt` on page
 * requests that have a customer.
 *
 * @example
 * ```ts
 * app.use(exploEmbed({ secret: { keyId, keyValue }, dashboards: { sales: 'a1b2c3d4' } }));
 * ```
 */
export function exploEmbed(options: ExploExpressOptions): ExploExpressMiddleware {
  const adapter = createExploAdapter<Request>(options, sessionCustomer);

  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    const apply = (action: ExploAdapterAction): void => {
      if (action.kind === 'respond') {
        res.status(action.response.status).set(action.response.headers).end(action.response.body);
        return;
      }
      if (action.kind === 'attach') {
        Object.assign(res.locals, pageLocals(action.result));
        res.set(pageHeaders(action.result));
      }
      next();
    };
    const { path, query } = splitUrl(req.url);
    // A reused token is ready at once: no microtask between this middleware and the next.
    const action = adapter.handle(req, { method: req.method, path, query, origin: req.headers.origin });
    if (action instanceof Promise) action.then(apply, next);
    else apply(action);
  };

  const jwt = (dashboard?: string): RequestHandler => {
    adapter.assertDashboard(dashboard);
    return (req, res, next) => {
      const apply = (result: ExploPageResult): void => {
        Object.assign(res.locals, pageLocals(result));
        res.set(pageHeaders(result));
        next();
      };
      const result = adapter.pageToken(req, dashboard);
      if (result instanceof Promise) result.then(apply, next);
      else apply(result);
    };
  };

  return Object.assign(middleware, { embed: adapter.embed, jwt });
}
