import { createApp } from './app.js';
import { readConfig } from './config.js';

let config: ReturnType<typeof readConfig>;
try {
  config = readConfig();
} catch (error) {
  console.error(`example-express: ${(error as Error).message}`);
  process.exit(1);
}

if (config.ephemeralSecret) {
  console.warn(
    [
      '',
      '!!! explo-embed: EXPLO_KEY_ID and EXPLO_KEY_VALUE are not set.',
      '!!! Using a throwaway dev key generated for this run: Explo WILL REJECT these tokens.',
      '!!! Set both (Explo: Settings > Data Visibility Groups > embed secret) to embed real dashboards.',
      '',
    ].join('\n'),
  );
}

let app: ReturnType<typeof createApp>;
try {
  app = createApp(config);
} catch (error) {
  // Coded option errors (a 33-byte key, a bad dashboard list) say what to fix and never echo the key.
  console.error(`example-express: ${(error as Error).message}`);
  process.exit(1);
}

const server = app.listen(config.port, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`example-express listening on http://localhost:${port} (dashboards: ${Object.keys(config.dashboards).join(', ')})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
