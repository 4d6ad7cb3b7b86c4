import { channel } from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import type { NodeRedisModule } from '../fleet/redis-client.js';
import { nodeEncrypter } from '../jwe/encrypt-node.js';
import { DIAGNOSTICS_CHANNELS } from '../operations/reporter.js';
import type { OtelApi } from '../operations/telemetry.js';
import type { Platform } from './platform.js';

const require = createRequire(import.meta.url);

/** Node (and Bun): node:crypto mints at once, diagnostics channels, optional packages loaded with require. */
export const nodePlatform: Platform = Object.freeze({
  name: 'node',
  encrypter: nodeEncrypter,
  channels: Object.freeze({ mint: channel(DIAGNOSTICS_CHANNELS.mint), error: channel(DIAGNOSTICS_CHANNELS.error) }),
  // Loaded once per embed, if the app has it: telemetry must never be the reason the middleware fails to load.
  loadOtel(): OtelApi | undefined {
    try {
      return require('@opentelemetry/api') as OtelApi;
    } catch {
      return undefined;
    }
  },
  loadRedis: () => require('redis') as NodeRedisModule,
});
