import type { ExploEmbed } from '@explo-embed/core';
import { createExploAdapter, type ExploAdapterOptions, type ExploLocals, splitUrl } from '@explo-embed/core/adapter';
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

  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    const { path, query } = splitUrl(req.url);
    if (!adapter.isTokenRoute(path)) {
      // `res` is the page target as it is: its `locals` and `setHeader`. A reused token is ready at
      // once: no microtask between this middleware and the next.
      const attached = adapter.attach(req, { method: req.method, path }, res);
      if (attached instanceof Promise) attached.then(() => next(), next);
      else next();
      return;
    }
    // Only the token route reads the headers its checks need.
    const { origin, 'sec-fetch-site': site } = req.headers;
    adapter.respond(req, { method: req.method, query, origin, site: header(site) }).then((response) => {
      res.status(response.status).set(response.headers).end(response.body);
    }, next);
  };

  const jwt = (dashboard?: string): RequestHandler => {
    adapter.assertDashboard(dashboard);
    return (req, res, next) => {
      const attached = adapter.attachDashboard(req, dashboard, res);
      if (attached instanceof Promise) attached.then(() => next(), next);
      else next();
    };
  };

  return Object.assign(middleware, { embed: adapter.embed, jwt });
}

/** One value of a header Node may give as a list. */
const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
