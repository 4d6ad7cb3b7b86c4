import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { type AdapterFactory, runAdapterContract } from '../../../test/contract/adapter-contract.js';
import { listen } from '../../../test/support/http.js';
import { createExploFetch, type ExploFetch, type ExploFetchOptions } from '../src/index.js';

type ContractOptions = Parameters<AdapterFactory['start']>[0];

function exploFor({ attach, ...options }: ContractOptions): ExploFetch {
  const fetchOptions: ExploFetchOptions = {
    ...options,
    customer: (request) => {
      const customer = request.headers.get('x-test-customer');
      if (customer === '!throw') throw new Error('resolver exploded');
      return customer;
    },
  };
  if (attach !== undefined)
    fetchOptions.attach = attach === 'header' ? (request) => request.headers.has('x-test-attach') : attach;
  return createExploFetch(fetchOptions);
}

async function pageResponse(explo: ExploFetch, request: Request): Promise<Response> {
  // With no middleware, a route that does not show the token does not ask for it: page() is the read.
  if (new URL(request.url).searchParams.get('read') === '0') return Response.json({ read: false });
  const page = await explo.page(request);
  return Response.json({ exploJwt: page.exploJwt ?? null, exploError: page.exploError?.code ?? null }, { headers: page.headers });
}

// The platform's own Request and Response, as Next.js, Deno and plain Node have them: by default
// @hono/node-server puts a lenient Response of its own on the global object, which accepts what the
// platform's refuses (a body on a 204), so the suite would miss it.
const serve = (app: (request: Request) => Response | Promise<Response>) =>
  listen(createServer(getRequestListener(app, { overrideGlobalObjects: false })));

// A runtime without a router (Bun.serve, Deno.serve): `handle` answers the token route, the app the rest.
runAdapterContract({
  name: 'Fetch (Request -> Response, no router)',
  start: (options) => {
    const explo = exploFor(options);
    const app = async (request: Request): Promise<Response> => {
      const routed = await explo.handle(request);
      if (routed) return routed;
      if (new URL(request.url).pathname === '/page') return pageResponse(explo, request);
      return new Response('Not Found', { status: 404 });
    };
    return serve(app);
  },
});

// A router (Hono, Next.js route handlers): the app mounts `tokenRoute` at its path.
runAdapterContract({
  name: 'Fetch in Hono',
  start: (options) => {
    const explo = exploFor(options);
    const app = new Hono();
    if (options.route !== false) app.all(options.route ?? '/explo/token', (c) => explo.tokenRoute(c.req.raw));
    app.on(['GET', 'POST'], '/page', (c) => pageResponse(explo, c.req.raw));
    return serve(app.fetch);
  },
});
