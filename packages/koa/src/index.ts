import type { CustomerLike, ExploEmbed } from '@explo-embed/core';
import {
  createExploAdapter,
  type ExploAdapterOptions,
  type ExploLocals,
  pageHeaders,
  pageLocals,
} from '@explo-embed/core/adapter';
import type { Context, Middleware } from 'koa';

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

/** Default customer resolver: `ctx.session.customerId`, as set by the app's login with koa-session. */
export function sessionCustomer(ctx: Context): CustomerLike {
  return (ctx as Context & { session?: { customerId?: CustomerLike } | null }).session?.customerId;
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
  const adapter = createExploAdapter<Context>(options, sessionCustomer);

  const middleware: Middleware = async (ctx, next) => {
    const pending = adapter.handle(ctx, {
      method: ctx.method,
      path: ctx.path,
      query: ctx.querystring,
      origin: ctx.headers.origin,
    });
    // A reused token is ready at once: no microtask spent waiting for it.
    const action = pending instanceof Promise ? await pending : pending;
    if (action.kind === 'respond') {
      ctx.status = action.response.status;
      ctx.set(action.response.headers);
      ctx.body = action.response.body;
      return;
    }
    if (action.kind === 'attach') {
      Object.assign(ctx.state, pageLocals(action.result));
      ctx.set(pageHeaders(action.result));
    }
    await next();
  };

  const jwt = (dashboard?: string): Middleware => {
    adapter.assertDashboard(dashboard);
    return async (ctx, next) => {
      const pending = adapter.pageToken(ctx, dashboard);
      const result = pending instanceof Promise ? await pending : pending;
      Object.assign(ctx.state, pageLocals(result));
      ctx.set(pageHeaders(result));
      await next();
    };
  };

  return Object.assign(middleware, { embed: adapter.embed, jwt });
}
