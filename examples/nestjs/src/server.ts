import { type ExampleConfig, printStartupWarnings, readConfig } from 'example-support';
import { createApp } from './app.js';

let config: ExampleConfig;
let app: Awaited<ReturnType<typeof createApp>>;
try {
  config = readConfig();
  printStartupWarnings('explo-embed', config);
  app = await createApp(config);
} catch (error) {
  // Coded option errors (a 33-byte key, a bad dashboard list) say what to fix and never echo the key.
  console.error(`example-nestjs: ${(error as Error).message}`);
  process.exit(1);
}

app.enableShutdownHooks();
await app.listen(config.port);
const address = app.getHttpServer().address();
const port = typeof address === 'object' && address ? address.port : config.port;
console.log(`example-nestjs listening on http://localhost:${port} (dashboards: ${Object.keys(config.dashboards).join(', ')})`);
