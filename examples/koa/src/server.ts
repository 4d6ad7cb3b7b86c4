import { type ExampleConfig, printStartupWarnings, readConfig } from 'example-support';
import { createApp } from './app.js';

let config: ExampleConfig;
let app: ReturnType<typeof createApp>;
try {
  config = readConfig();
  printStartupWarnings('explo-embed', config);
  app = createApp(config);
} catch (error) {
  // Coded option errors (a 33-byte key, a bad dashboard list) say what to fix and never echo the key.
  console.error(`example-koa: ${(error as Error).message}`);
  process.exit(1);
}

const server = app.listen(config.port, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`example-koa listening on http://localhost:${port} (dashboards: ${Object.keys(config.dashboards).join(', ')})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
