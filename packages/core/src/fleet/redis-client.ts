import { ExploOptionError } from '../errors/errors.js';
import type { ExploRedisClient } from '../options/options.js';

/** The commands the fleet sends, whichever client carries them. Each rejects on failure; callers bound them in time. */
/**
 * Runs one Redis operation, bounded in time; a failure or a timeout marks Redis down (reported once
 * a minute) and rejects. While it is down, operations are not even tried for a few seconds: a slow
 * Redis costs one wait, not one per request.
 */
export type Attempt = <T>(work: () => Promise<T>) => Promise<T>;

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

/** The `redis` option as given: checked once, at setup. A URL needs the `redis` package (node-redis). */
export function resolveRedis(
  value: unknown,
  onError: (error: unknown) => void,
  loadRedis: (() => NodeRedisModule) | undefined,
): FleetRedis | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return fromUrl(value, onError, loadRedis);
  const client = value as Partial<Record<'sendCommand' | 'call', unknown>> | null;
  // ioredis has a sendCommand too (taking its own Command objects): `call` tells it apart.
  if (typeof client?.call === 'function') return wrap(value as ExploRedisClient, 'ioredis', false);
  if (typeof client?.sendCommand === 'function') return wrap(value as ExploRedisClient, 'node-redis', false);
  throw new ExploOptionError('redis', 'must be a Redis URL ("redis://host:6379"), a node-redis client or an ioredis client.');
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
