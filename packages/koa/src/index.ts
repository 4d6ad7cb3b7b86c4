import {
  type CustomerLike,
  createExploAdapter,
  type ExploAdapterOptions,
  type ExploEmbed,
  type ExploEmbedError,
  type ExploPageResult,
  type ExploPublicToken,
} from '@explo-embed/core';
import type { Context, Middleware } from 'koa';

// One install for Koa users: the core API (errors, decryptExploJwt, types) comes along.
export * from '@explo-embed/core';

/** What `@explo-embed/koa` puts on `ctx.state`. */
export interface ExploState {
  /** The Explo token for this page request. */
  exploJwt?: string;
  /** The same token with its expiry and dashboard name (no embed id). */
  exploToken?: ExploPublicToken;
  /** Why no token was attached although there is a customer (secret unavailable, refused...). */
  exploError?: ExploEmbedError;
}

declare module 'koa' {
  interface DefaultState extends ExploState {}
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
 * app.use(exploEmbed({ secret: { keyId, keyValue }, dashboards: { sales: 'a1b2c3d4' } }));
 */
export function exploEmbed(options: ExploKoaOptions): ExploKoaMiddleware {
  const adapter = createExploAdapter<Context>(options, sessionCustomer);

  const middleware: Middleware = async (ctx, next) => {
    const action = await adapter.handle(ctx, {
      method: ctx.method,
      path: ctx.path,
      query: ctx.querystring,
      accept: ctx.get('accept') || undefined,
    });
    if (action.kind === 'respond') {
      ctx.status = action.response.status;
      ctx.set(action.response.headers);
      ctx.body = action.response.body;
      return;
    }
    if (action.kind === 'attach') setState(ctx, action.result);
    await next();
  };

  const jwt = (dashboard?: string): Middleware => {
    adapter.assertDashboard(dashboard);
    return async (ctx, next) => {
      setState(ctx, await adapter.pageToken(ctx, dashboard));
      await next();
    };
  };

  return Object.assign(middleware, { embed: adapter.embed, jwt });
}

function setState(ctx: Context, { token, error }: ExploPageResult): void {
  const state = ctx.state as ExploState;
  if (token) {
    state.exploJwt = token.jwt;
    state.exploToken = token;
  } else if (error) {
    state.exploError = error;
  }
}
