import { bootExample } from 'example-support';
import { createApp } from './app.js';

await bootExample('example-nestjs', async (config, target) => {
  const app = await createApp(config, target);
  app.enableShutdownHooks();
  await app.listen(config.port);
  return app.getHttpServer();
});
