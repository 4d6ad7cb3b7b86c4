import type { ExploEmbed, ExploEmbedError, ExploPublicToken } from '@explo-embed/core';
import {
  createExploAdapter,
  type ExploAdapterOptions,
  type ExploLocals,
  type ExploPage,
  pageLocals,
  replyTarget,
} from '@explo-embed/core/adapter';
import type { FastifyPluginAsync, FastifyRequest, preHandlerHookHandler } from 'fastify';
import fp from 'fastify-plugin';

export { sessionCustomer } from '@explo-embed/core/adapter';
// What app code needs from the core, so one install is enough; the rest is in @explo-embed/core.
export * from '@explo-embed/core/app';

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

// A request's page, and values the host sets itself, live in properties declared up front, as Fastify
// asks (`decorateRequest`). The request's own `exploJwt`, `exploToken`, `exploError` are getters that
// read the page: nothing is produced until one is read.
type WithPage = FastifyRequest & { exploPage: ExploPage | null; exploSet: ExploLocals | null };
const PAGE = 'exploPage';
const SET = 'exploSet';

/** Keeps the attached page on its request, for the getters. */
function keep(request: FastifyRequest, page: ExploPage | undefined): void {
  if (page !== undefined) (request as WithPage).exploPage = page;
}

/** A request property that reads the page value of the same name; one the host sets replaces it. */
const pageProperty = <K extends keyof ExploLocals>(name: K) => ({
  getter(this: FastifyRequest): ExploLocals[K] {
    const { exploPage, exploSet } = this as WithPage;
    if (exploSet !== null && name in exploSet) return exploSet[name];
    return exploPage === null ? undefined : pageLocals(exploPage.read())[name];
  },
  setter(this: FastifyRequest, value: ExploLocals[K]) {
    const request = this as WithPage;
    request.exploSet ??= {};
    request.exploSet[name] = value;
  },
});

const plugin: FastifyPluginAsync<ExploFastifyOptions> = async (fastify, options) => {
  // Options are checked here, at register time: `await app.register(...)` (or `ready()`) rejects with ERR_EXPLO_OPTION_INVALID.
  const adapter = createExploAdapter<FastifyRequest>(options);
  // Paths are compared relative to where the plugin is registered, as a middleware's are.
  const prefix = fastify.prefix;
  const relative = (url: string) => (prefix && url.startsWith(prefix) ? url.slice(prefix.length) || '/' : url);

  fastify.decorateRequest(PAGE, null);
  fastify.decorateRequest(SET, null);
  fastify.decorateRequest('exploJwt', pageProperty('exploJwt'));
  fastify.decorateRequest('exploToken', pageProperty('exploToken'));
  fastify.decorateRequest('exploError', pageProperty('exploError'));
  fastify.decorate('explo', {
    embed: adapter.embed,
    jwt(dashboard?: string): preHandlerHookHandler {
      const attach = adapter.attachDashboard(dashboard);
      return async (request, reply) => keep(request, await attach(request, replyTarget(reply)));
    },
  } satisfies ExploFastify);

  if (adapter.route !== false) {
    fastify.all(adapter.route, async (request, reply) => {
      const { status, headers, body } = await adapter.respond(request, request);
      return reply.code(status).headers(headers).send(body);
    });
  }

  if (adapter.attaches) {
    // preHandler: after every onRequest hook, so a session plugin registered after this one has run.
    fastify.addHook('preHandler', async (request, reply) => {
      if (request.is404) return;
      const info = { method: request.method, url: relative(request.url), headers: request.headers };
      keep(request, await adapter.attach(request, info, replyTarget(reply)));
    });
  }
};

export const exploEmbed = fp(plugin, { fastify: '5.x', name: '@explo-embed/fastify' });
