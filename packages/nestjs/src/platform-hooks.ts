import { type ExploAdapter, replyTarget } from '@explo-embed/core/adapter';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { type NodeishRequest, requestInfo } from './http.js';
import { keepPage } from './request-state.js';

type Next = (error?: unknown) => void;
interface ExpressLike {
  use(
    handler: (
      req: NodeishRequest,
      res: { locals: object; setHeader(name: string, value: string): void; readonly headersSent: boolean },
      next: Next,
    ) => void,
  ): void;
}
interface FastifyLike {
  addHook(
    name: 'preHandler',
    hook: (
      request: NodeishRequest,
      reply: { header(name: string, value: string): void; raw: { headersSent: boolean } },
    ) => Promise<void>,
  ): void;
}

/**
 * Registers the page attach step as the platform's own cheapest hook, before Nest declares its
 * routes: an Express middleware (after the app's session middleware) that fills `res.locals` (and
 * leaves the page there for `getExploPage(request)`), or a
 * Fastify `preHandler` (after session plugins have run) that keeps the result for
 * `getExploPage(request)`. A global Nest interceptor would cost every route about 10%.
 */
export function registerPageAttach(http: AbstractHttpAdapter, adapter: ExploAdapter<unknown>): void {
  if (!adapter.attaches) return;
  if (http.getType() === 'fastify') {
    // No locals on Fastify: `getExploPage(request)` and `@ExploJwt()` read the page itself.
    (http.getInstance() as FastifyLike).addHook('preHandler', async (request, reply) => {
      keepPage(request, await adapter.attach(request, requestInfo(request), replyTarget(reply)));
    });
    return;
  }
  // On Express the page goes on `res.locals` (where templates read it), and `getExploPage(request)`
  // finds it there through `request.res`.
  (http.getInstance() as ExpressLike).use((req, res, next) => {
    adapter.attach(req, requestInfo(req), res).then(() => next(), next);
  });
}
