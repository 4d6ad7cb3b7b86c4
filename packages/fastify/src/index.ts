import type { CustomerLike, ExploEmbed, ExploEmbedError, ExploPublicToken } from '@explo-embed/core';
import {
  createExploAdapter,
  type ExploAdapterOptions,
  type ExploPageResult,
  type MaybePromise,
  pageHeaders,
  pageLocals,
  sessionCustomerId,
  splitUrl,
} from '@explo-embed/core/adapter';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import fp from 'fastify-plugin';

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

declare module 'fastify' {
  interface FastifyRequest {
    /** The Explo token for this request's customer (GET/HEAD with a customer), set by `@explo-embed/fastify`. */
    exploJwt?: string;
    /** The same token with its expiry and dashboard name (no embed id). */
    exploToken?: ExploPublicToken;
    /** Why no token was attached although there is a customer (secret unavailable, refused...). */
    exploError?: ExploEmbedError;
  }
  interface FastifyInstance {
    /** The core minter and the route-level form, decorated by `@explo-embed/fastify`. */
    explo: ExploFastify;
  }
  interface FastifyContextConfig {
    /** Marks the token route `@explo-embed/fastify` registers (it gets no page token of its own). */
    exploTokenRoute?: boolean;
  }
}

/**
 * Options of {@link exploEmbed}: every `@explo-embed/core` option, plus `customer(request)`, `route`
 * and `attach`. The default `customer` reads `request.session.customerId` (`@fastify/session`) or
 * `request.session.get('customerId')` (`@fastify/secure-session`).
 */
export type ExploFastifyOptions = ExploAdapterOptions<FastifyRequest>;

/** What the plugin decorates the Fastify instance with, as `fastify.explo`. */
export interface ExploFastify {
  /** The core minter: `mint()`, `decrypt()`, `health()`. */
  readonly embed: ExploEmbed;
  /**
   * Route-level form: a `preHandler` that sets `request.exploJwt` to a token of `dashboard` (default:
   * the default one) on this route only, whatever the method. Throws at once for a dashboard outside
   * the allowlist.
   */
  jwt(dashboard?: string): preHandlerHookHandler;
}

/** Default customer resolver: the session's `customerId` (`@fastify/session` or `@fastify/secure-session`). */
export function sessionCustomer(request: FastifyRequest): CustomerLike {
  return sessionCustomerId((request as FastifyRequest & { session?: unknown }).session);
}

/** Sets the page result on the request, then lets Fastify go on; a reused token needs no microtask. */
function attachThen(
  request: FastifyRequest,
  reply: FastifyReply,
  done: (error?: Error) => void,
  result: MaybePromise<ExploPageResult | undefined>,
): void {
  const apply = (ready: ExploPageResult | undefined): void => {
    if (ready) {
      Object.assign(request, pageLocals(ready));
      reply.headers(pageHeaders(ready));
    }
    done();
  };
  if (result instanceof Promise) result.then(apply, done);
  else apply(result);
}

const plugin: FastifyPluginAsync<ExploFastifyOptions> = async (fastify, options) => {
  // Options are checked here, at register time: `await app.register(...)` (or `ready()`) rejects with ERR_EXPLO_OPTION_INVALID.
  const adapter = createExploAdapter<FastifyRequest>(options, sessionCustomer);

  fastify.decorateRequest('exploJwt', undefined);
  fastify.decorateRequest('exploToken', undefined);
  fastify.decorateRequest('exploError', undefined);
  fastify.decorate('explo', {
    embed: adapter.embed,
    jwt(dashboard?: string): preHandlerHookHandler {
      adapter.assertDashboard(dashboard);
      return (request, reply, done) => attachThen(request, reply, done, adapter.pageToken(request, dashboard));
    },
  } satisfies ExploFastify);

  if (adapter.route !== false) {
    fastify.all(adapter.route, { config: { exploTokenRoute: true } }, async (request, reply) => {
      const { status, headers, body } = await adapter.respond(request, {
        method: request.method,
        query: splitUrl(request.url).query,
        origin: request.headers.origin,
      });
      return reply.code(status).headers(headers).send(body);
    });
  }

  if (adapter.attaches) {
    // preHandler: after every onRequest hook, so a session plugin registered after this one has run.
    fastify.addHook('preHandler', (request, reply, done) => {
      if (request.is404 || request.routeOptions.config.exploTokenRoute === true) return done();
      attachThen(request, reply, done, adapter.attachFor(request, { method: request.method, query: '' }));
    });
  }
};

/**
 * Fastify 5 plugin: serves `GET /explo/token` and sets `request.exploJwt` on GET/HEAD requests that
 * have a customer, in the scope it is registered in and its children (not in sibling plugins).
 *
 * @example
 * ```ts
 * await app.register(exploEmbed, { secret: { keyId, keyValue }, dashboards: { sales: 'a1b2c3d4' } });
 * ```
 */
export const exploEmbed = fp(plugin, { fastify: '5.x', name: '@explo-embed/fastify' });
