import type { ExploEmbed } from '@explo-embed/core';
import { createExploAdapter, type ExploAdapterOptions, type ExploLocals } from '@explo-embed/core/adapter';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export { sessionCustomer } from '@explo-embed/core/adapter';
// What app code needs from the core, so one install is enough; the rest is in @explo-embed/core.
export * from '@explo-embed/core/app';

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
  const adapter = createExploAdapter<Request>(options);

  // `res` is the page target as it is: its `locals` and `setHeader`.
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    adapter.handle(req, req, res).then((answer) => {
      if (answer === undefined) return next();
      res.status(answer.status).set(answer.headers).end(answer.body);
    }, next);
  };

  const jwt = (dashboard?: string): RequestHandler => {
    const attach = adapter.attachDashboard(dashboard);
    return (req, res, next) => {
      attach(req, res).then(() => next(), next);
    };
  };

  return Object.assign(middleware, { embed: adapter.embed, jwt });
}
