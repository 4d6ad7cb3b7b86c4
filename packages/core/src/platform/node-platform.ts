import { channel } from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import type { NodeRedisModule } from '../fleet/redis-client.js';
import { nodeEncrypter } from '../jwe/encrypt-node.js';
import { DIAGNOSTICS_CHANNELS } from '../operations/reporter.js';
import type { OtelApi } from '../operations/telemetry.js';
import type { Platform } from './platform.js';

/** Node (and Bun): node:crypto mints at once, diagnostics channels, optional packages loaded with require. */
export const nodePlatform: Platform = Object.freeze({
  name: 'node',
  encrypter: nodeEncrypter,
  channels: Object.freeze({ mint: channel(DIAGNOSTICS_CHANNELS.mint), error: channel(DIAGNOSTICS_CHANNELS.error) }),
  // Loaded once per embed, if the app has it: telemetry must never be the reason the middleware fails
  // to load. Each optional package is required inside `try`: bundlers (Turbopack, webpack) then take
  // it as optional and leave it to run time, instead of failing the app's build where it is missing.
  loadOtel(): OtelApi | undefined {
    try {
      return createRequire(import.meta.url)('@opentelemetry/api') as OtelApi;
    } catch {
      return undefined;
    }
  },
  loadRedis(): NodeRedisModule {
    let redis: NodeRedisModule | undefined;
    try {
      redis = createRequire(import.meta.url)('redis') as NodeRedisModule;
    } catch {
      redis = undefined;
    }
    if (redis === undefined) throw new Error('the redis package is not installed');
    return redis;
  },
});
