import { serve } from '@hono/node-server';
import { bootExample } from 'example-support';
import { createApp } from './app.js';

await bootExample('example-hono', async (config, target) => {
  const app = createApp(config, target);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: config.port }, () => resolve(server as import('node:http').Server));
  });
});
