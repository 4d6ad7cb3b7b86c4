import type { Server } from 'node:http';
import { type ExampleConfig, readConfig } from './config.js';
import { type EmbedTarget, startEmbedTarget } from './embed-target.js';
import { printStartupWarnings } from './startup.js';

/**
 * What every example's server.ts does: read the environment, warn about a dev key, start the Explo
 * stand-in when asked, build and listen, and exit with one clear line (never a stack, never a
 * key) when the configuration is wrong. `listen` starts the framework's server on the port.
 */
export async function bootExample(
  name: string,
  listen: (config: ExampleConfig, target: EmbedTarget) => Promise<Server>,
): Promise<void> {
  let config: ExampleConfig;
  let target: EmbedTarget | undefined;
  let server: Server;
  try {
    config = readConfig();
    printStartupWarnings('explo-embed', config);
    target = await startEmbedTarget(config);
    server = await listen(config, target);
  } catch (error) {
    // Coded option errors (a 33-byte key, a bad dashboard list) say what to fix and never echo the key.
    console.error(`${name}: ${(error as Error).message}`);
    await target?.close();
    process.exit(1);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (target.standIn) console.log(`Explo stand-in serving embeds at ${target.appUrl}`);
  console.log(`${name} listening on http://localhost:${port} (dashboards: ${Object.keys(config.dashboards).join(', ')})`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      server.close();
      server.closeAllConnections();
      void target?.close().then(() => process.exit(0));
    });
  }
}
