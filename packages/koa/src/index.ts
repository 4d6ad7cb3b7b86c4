import type { ExploEmbed } from '@explo-embed/core';
import { createExploAdapter, type ExploAdapterOptions, type ExploLocals, type ExploPageTarget } from '@explo-embed/core/adapter';
import type { Context, Middleware } from 'koa';

export { sessionCustomer } from '@explo-embed/core/adapter';
// What app code needs from the core, so one install is enough; the rest is in @explo-embed/core.
export * from '@explo-embed/core/app';

/** What `@explo-embed/koa` puts on `ctx.state`: `exploJwt`, `exploToken`, `exploError`. */
export type ExploState = ExploLocals;

declare module 'koa' {
  interface DefaultState extends ExploLocals {}
}

/**
 * Options of {@link exploEmbed}: every `@explo-embed/core` option, plus `customer(ctx)`, `route`
 * and `attach`. The default `customer` reads `ctx.session.customerId` (koa-session).
 */
export type ExploKoaOptions = ExploAdapterOptions<Context>;

/** The middleware returned by {@link exploEmbed}, with a route-level form and the core minter. */
export interface ExploKoaMiddleware extends Middleware {
  /** The core minter: `mint()`, `decrypt()`. */
  readonly embed: ExploEmbed;
  /** Route-level form: sets `ctx.state.exploJwt` for `dashboard` (default: the default one) on this route only. */
  jwt(dashboard?: string): Middleware;
}

/**
 * Koa 2 and 3 middleware: serves `GET /explo/token` and sets `ctx.state.exploJwt` on page
 * requests that have a customer.
 *
 * @example
 * ```ts
 * app.use(exploEmbed({ secret: { keyId, keyValue }, dashboards: { sales: 'a1b2c3d4' } }));
 * ```
 */
export function exploEmbed(options: ExploKoaOptions): ExploKoaMiddleware {
  const adapter = createExploAdapter<Context>(options);
  const target = (ctx: Context): ExploPageTarget => ({ locals: ctx.state, setHeader: (name, value) => ctx.set(name, value) });

  const middleware: Middleware = async (ctx, next) => {
    const pending = adapter.handle(
      ctx,
      {
        method: ctx.method,
        path: ctx.path,
        query: ctx.querystring,
        origin: ctx.headers.origin,
        site: ctx.get('sec-fetch-site') || undefined,
      },
      target(ctx),
    );
    // A reused token is ready at once: no microtask spent waiting for it.
    const response = pending instanceof Promise ? await pending : pending;
    if (response === undefined) return next();
    ctx.status = response.status;
    ctx.set(response.headers);
    ctx.body = response.body;
  };

  const jwt = (dashboard?: string): Middleware => {
    adapter.assertDashboard(dashboard);
    return async (ctx, next) => {
      await adapter.attachDashboard(ctx, dashboard, target(ctx));
      await next();
    };
  };

  return Object.assign(middleware, { embed: adapter.embed, jwt });
}
