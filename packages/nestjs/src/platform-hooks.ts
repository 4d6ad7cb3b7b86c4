import { type ExploAdapter, pageHeaders, pageLocals } from '@explo-embed/core/adapter';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { attachPage } from './page-attach.js';
import { setPage } from './request-state.js';

type Next = (error?: unknown) => void;
interface ExpressLike {
  use(handler: (req: object, res: { locals: object; setHeader(name: string, value: string): void }, next: Next) => void): void;
}
interface FastifyLike {
  addHook(
    name: 'preHandler',
    hook: (request: object, reply: { header(name: string, value: string): void }) => Promise<void>,
  ): void;
}

/**
 * Registers the page attach step as the platform's own cheapest hook, before Nest declares its
 * routes: an Express middleware (after the app's session middleware) that fills `res.locals`, or a
 * Fastify `preHandler` (after session plugins have run) that keeps the result for
 * `getExploPage(request)`. A global Nest interceptor would cost every route about 10%.
 */
export function registerPageAttach(http: AbstractHttpAdapter, adapter: ExploAdapter<unknown>): void {
  if (!adapter.attaches) return;
  if (http.getType() === 'fastify') {
    (http.getInstance() as FastifyLike).addHook('preHandler', async (request, reply) =>
      attachPage(adapter, request, (page) => {
        setPage(request, page);
        const headers = pageHeaders(page);
        for (const name in headers) reply.header(name, headers[name] as string);
      }),
    );
    return;
  }
  (http.getInstance() as ExpressLike).use((req, res, next) => {
    const attached = attachPage(adapter, req, (page) => {
      Object.assign(res.locals, pageLocals(page));
      const headers = pageHeaders(page);
      for (const name in headers) res.setHeader(name, headers[name] as string);
    });
    if (attached instanceof Promise) attached.then(() => next(), next);
    else next();
  });
}
