import { once } from 'node:events';
import { bootExample } from 'example-support';
import { createApp } from './app.js';

await bootExample('example-express', async (config, target) => {
  const server = createApp(config, target).listen(config.port);
  await once(server, 'listening');
  return server;
});
