import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { bootExample } from 'example-support';
import nextModule from 'next';
import { setExampleRuntime } from './runtime.js';

// `next` is CommonJS (`module.exports = createServer`); its types describe a transpiled `default`.
const next = nextModule as unknown as typeof nextModule.default;

// A custom server around the built app (`next build` first): it starts the Explo stand-in and reads
// the environment the same way as the other examples, then hands both to the routes.
await bootExample('example-nextjs', async (config, target) => {
  setExampleRuntime(config, target);
  const app = next({ dev: false, dir: fileURLToPath(new URL('..', import.meta.url)) });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  return server;
});
