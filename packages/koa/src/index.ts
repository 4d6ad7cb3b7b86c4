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
  const middleware: Middleware = async (ctx, next) => {
    const answer = await adapter.handle(ctx, ctx, stateTarget(ctx));
    if (answer === undefined) return next();
    ctx.status = answer.status;
    ctx.set(answer.headers);
    ctx.body = answer.body;
  };

  const jwt = (dashboard?: string): Middleware => {
    const attach = adapter.attachDashboard(dashboard);
    return async (ctx, next) => {
      await attach(ctx, stateTarget(ctx));
      await next();
    };
  };

  return Object.assign(middleware, { embed: adapter.embed, jwt });
}

/** Koa's page target: `ctx.state` for templates, and the response's headers. */
const stateTarget = (ctx: Context): ExploPageTarget => ({
  locals: ctx.state,
  setHeader: (name, value) => ctx.set(name, value),
  get headersSent() {
    return ctx.headerSent;
  },
});
