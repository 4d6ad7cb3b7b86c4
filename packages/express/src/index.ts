import {
  type CustomerLike,
  createExploAdapter,
  type ExploAdapterOptions,
  type ExploEmbed,
  type ExploEmbedError,
  type ExploPageResult,
  type ExploPublicToken,
  splitUrl,
} from '@explo-embed/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

// One install for Express users: the core API (errors, decryptExploJwt, types) comes along.
export * from '@explo-embed/core';

declare global {
  namespace Express {
    interface Locals {
      /** The Explo token for this page request, set by `@explo-embed/express`. */
      exploJwt?: string;
      /** The same token with its expiry and dashboard name (no embed id). */
      exploToken?: ExploPublicToken;
      /** Why no token was attached although there is a customer (secret unavailable, refused...). */
      exploError?: ExploEmbedError;
    }
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
 * app.use(exploEmbed({ secret: { keyId, keyValue }, dashboards: { sales: 'a1b2c3d4' } }));
 */
export function exploEmbed(options: ExploExpressOptions): ExploExpressMiddleware {
  const adapter = createExploAdapter<Request>(options, sessionCustomer);

  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    const { path, query } = splitUrl(req.url);
    adapter.handle(req, { method: req.method, path, query, accept: req.headers.accept }).then((action) => {
      if (action.kind === 'respond') {
        res.status(action.response.status).set(action.response.headers).end(action.response.body);
        return;
      }
      if (action.kind === 'attach') setLocals(res, action.result);
      next();
    }, next);
  };

  const jwt = (dashboard?: string): RequestHandler => {
    adapter.assertDashboard(dashboard);
    return (req, res, next) => {
      adapter.pageToken(req, dashboard).then((result) => {
        setLocals(res, result);
        next();
      }, next);
    };
  };

  return Object.assign(middleware, { embed: adapter.embed, jwt });
}

function setLocals(res: Response, { token, error }: ExploPageResult): void {
  if (token) {
    res.locals.exploJwt = token.jwt;
    res.locals.exploToken = token;
  } else if (error) {
    res.locals.exploError = error;
  }
}
