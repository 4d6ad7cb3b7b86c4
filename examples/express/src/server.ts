import { type EmbedTarget, type ExampleConfig, printStartupWarnings, readConfig, startEmbedTarget } from 'example-support';
import { createApp } from './app.js';

let config: ExampleConfig;
let target: EmbedTarget;
let app: ReturnType<typeof createApp>;
try {
  config = readConfig();
  printStartupWarnings('explo-embed', config);
  target = await startEmbedTarget(config);
  app = createApp(config, target);
} catch (error) {
  // Coded option errors (a 33-byte key, a bad dashboard list) say what to fix and never echo the key.
  console.error(`example-express: ${(error as Error).message}`);
  process.exit(1);
}

const server = app.listen(config.port, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (target.standIn) console.log(`Explo stand-in serving embeds at ${target.appUrl}`);
  console.log(`example-express listening on http://localhost:${port} (dashboards: ${Object.keys(config.dashboards).join(', ')})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => void target.close().then(() => process.exit(0))));
}
