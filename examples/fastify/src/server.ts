import { bootExample } from 'example-support';
import { createApp } from './app.js';

await bootExample('example-fastify', async (config, target) => {
  const app = await createApp(config, target);
  await app.listen({ port: config.port, host: '0.0.0.0' });
  return app.server;
});
