import type { NodeRedisModule } from '../fleet/redis-client.js';
import type { TokenEncrypter } from '../jwe/jwe.js';
import type { PreparedSecret } from '../keys/secret.js';
import type { DiagnosticsChannels } from '../operations/reporter.js';
import type { OtelApi } from '../operations/telemetry.js';

/**
 * What differs between the runtimes the core runs on, handed to the pipeline by each entry point:
 * `index.ts` (Node, Bun) brings {@link nodePlatform}, `edge/index.ts` (Vercel Edge, workerd, Deno,
 * chosen by package.json conditions) brings `webPlatform`. Nothing here is probed at run time, and
 * nothing else in the pipeline imports a runtime's own module: the edge entry's module graph has
 * no `node:` import.
 */
export interface Platform {
  /** Which entry this is, for messages. */
  readonly name: 'node' | 'edge';
  /** The encrypter for one prepared key, made once per key: synchronous on Node, Web Crypto on the edge. */
  encrypter(secret: PreparedSecret): TokenEncrypter;
  /** Node's diagnostics channels; the edge has none. */
  readonly channels: DiagnosticsChannels | undefined;
  /** The app's `@opentelemetry/api`, if it has one. Called once per embed. */
  loadOtel(): OtelApi | undefined;
  /** node-redis, for a `redis://` URL; absent on the edge, which has no TCP (a URL is then refused at setup). */
  readonly loadRedis: (() => NodeRedisModule) | undefined;
}
