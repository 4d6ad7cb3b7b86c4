import { ExploOptionError } from '../errors/errors.js';
import { knownKeys } from '../lib/option-checks.js';
import type { ExploRedisClient } from '../options/options.js';

/**
 * Runs one Redis operation, bounded in time; a failure or a timeout marks Redis down (reported once
 * a minute) and rejects. While it is down, operations are not even tried for a few seconds: a slow
 * Redis costs one wait, not one per request.
 */
export type Attempt = <T>(work: () => Promise<T>) => Promise<T>;

/** The commands the fleet sends, whichever client carries them. Each rejects on failure; callers bound them in time. */
export interface FleetRedis {
  /** The client, for rate-limiter-flexible. */
  readonly client: ExploRedisClient;
  /** node-redis or ioredis: how rate-limiter-flexible must talk to it. */
  readonly kind: 'node-redis' | 'ioredis';
  command(...args: string[]): Promise<unknown>;
  /** Whether the client says it is connected (a client that cannot say counts as connected). */
  connected(): boolean;
  /** While a connection this library opened is being made for the first time: when it is. */
  readonly connecting: Promise<unknown> | undefined;
  /** Closes the connection if this library opened it (a URL was given); a client of the app's is left open. */
  close(): Promise<void>;
}

/** The `redis` option after validation: what to connect to, and what every key of this app starts with. */
export interface RedisSetting {
  readonly connection: string | ExploRedisClient;
  readonly prefix: string;
}

/** What every key starts with unless `redis.prefix` says otherwise. */
export const DEFAULT_PREFIX = 'explo-embed';
// No braces (Redis Cluster reads `{...}` as a hash tag) and no spaces: one clean key segment.
const PREFIX = /^[A-Za-z0-9](?:[A-Za-z0-9._:-]{0,62}[A-Za-z0-9])?$/;
const CONNECTION = 'must be a Redis URL ("redis://host:6379"), a node-redis client or an ioredis client';

/**
 * Checks the `redis` option's shape once, at setup, without connecting: a URL, a client, or
 * `{ connection, prefix? }`. Throws `ExploOptionError` naming the field.
 */
export function redisSetting(value: unknown): RedisSetting | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || clientKind(value) !== undefined) {
    return Object.freeze({ connection: value as string | ExploRedisClient, prefix: DEFAULT_PREFIX });
  }
  if (typeof value !== 'object' || value === null || !('connection' in value)) {
    throw new ExploOptionError('redis', `${CONNECTION}, or { connection, prefix }.`);
  }
  const v = knownKeys(value, ['connection', 'prefix'], 'redis', '{ connection, prefix? }');
  if (typeof v.connection !== 'string' && clientKind(v.connection) === undefined) {
    throw new ExploOptionError('redis.connection', `${CONNECTION}.`);
  }
  const prefix = v.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw new ExploOptionError(
      'redis.prefix',
      'must be 1 to 64 letters, digits, ".", "_", "-" or ":", starting and ending with a letter or digit (default "explo-embed").',
    );
  }
  return Object.freeze({ connection: v.connection as string | ExploRedisClient, prefix });
}

/**
 * Connects (a URL: the `redis` package, node-redis, loaded by the Node entry; none on the edge) or
 * wraps (a client) the `redis` option's connection.
 */
export function resolveRedis(
  connection: string | ExploRedisClient,
  onError: (error: unknown) => void,
  loadRedis: (() => NodeRedisModule) | undefined,
): FleetRedis {
  if (typeof connection === 'string') return fromUrl(connection, onError, loadRedis);
  const kind = clientKind(connection);
  if (kind === undefined) throw new ExploOptionError('redis', `${CONNECTION}.`);
  return wrap(connection, kind, false);
}

// ioredis has a sendCommand too (taking its own Command objects): `call` tells it apart.
function clientKind(value: unknown): FleetRedis['kind'] | undefined {
  const client = value as Partial<Record<'sendCommand' | 'call', unknown>> | null;
  if (typeof client?.call === 'function') return 'ioredis';
  if (typeof client?.sendCommand === 'function') return 'node-redis';
  return undefined;
}

function wrap(client: ExploRedisClient, kind: FleetRedis['kind'], owned: boolean, connecting?: Promise<unknown>): FleetRedis {
  const command =
    kind === 'ioredis'
      ? (...args: string[]) =>
          (client as { call(command: string, ...args: string[]): Promise<unknown> }).call(...(args as [string, ...string[]]))
      : (...args: string[]) => (client as { sendCommand(args: string[]): Promise<unknown> }).sendCommand(args);
  let first = connecting;
  void first?.then(
    () => (first = undefined),
    () => (first = undefined),
  );
  return {
    client,
    kind,
    command,
    get connecting() {
      return first;
    },
    connected: () => {
      const { isReady, status } = client as { isReady?: unknown; status?: unknown };
      if (typeof isReady === 'boolean') return isReady;
      return typeof status === 'string' ? status === 'ready' : true;
    },
    close: async () => {
      if (!owned) return;
      const closable = client as { close?: () => Promise<unknown>; quit?: () => Promise<unknown>; destroy?: () => void };
      try {
        if (typeof closable.destroy === 'function') closable.destroy();
        else await (closable.close ?? closable.quit)?.call(client);
      } catch {
        // Already closed.
      }
    },
  };
}

/** The node-redis package (`redis`), as far as it is used here. */
export interface NodeRedisModule {
  createClient(options: object): ExploRedisClient & {
    connect(): Promise<unknown>;
    on(event: 'error', listener: (error: unknown) => void): unknown;
  };
}

function fromUrl(url: string, onError: (error: unknown) => void, loadRedis: (() => NodeRedisModule) | undefined): FleetRedis {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ExploOptionError('redis', 'must be a Redis URL such as "redis://127.0.0.1:6379" (or rediss:// for TLS).');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ExploOptionError('redis', 'must be a redis:// or rediss:// URL (or a node-redis or ioredis client).');
  }
  // The edge entry: no TCP, so no Redis URL (Redis over HTTP is a client object: upstashRedis()).
  if (loadRedis === undefined) {
    throw new ExploOptionError(
      'redis',
      'a redis:// URL needs TCP, which edge runtimes do not have: pass upstashRedis({ url, token }) (Redis over HTTP) instead.',
    );
  }
  let module: NodeRedisModule;
  try {
    module = loadRedis();
  } catch {
    throw new ExploOptionError(
      'redis',
      'a URL needs the node-redis package: npm install redis (or pass your own ioredis client).',
    );
  }
  const client = module.createClient({
    url,
    // A command while disconnected fails at once (then this instance works on its own) rather than
    // waiting in a queue; reconnection goes on in the background.
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(250 * 2 ** retries, 5_000) },
  });
  client.on('error', onError);
  const connecting = client.connect();
  connecting.catch(onError);
  return wrap(client, 'node-redis', true, connecting);
}
