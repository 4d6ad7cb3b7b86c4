// One instance of a fleet, in a process of its own (started by test/support/fleet.ts with tsx): an
// embed on a shared Redis and a loopback Explo API, driven over IPC. Its log lines go to the parent.
import { createExploEmbed, type ExploEmbedOptions, type ExploSecret } from '../../packages/core/src/index.js';

interface Config {
  redis: string;
  client: 'url' | 'node-redis' | 'ioredis';
  apiUrl: string;
  key: ExploSecret;
  options: Partial<ExploEmbedOptions>;
}
type Command =
  | { id: number; op: 'mint'; customers: string[]; dashboard?: string; fresh?: boolean }
  | { id: number; op: 'health' }
  | { id: number; op: 'close' };

const config = JSON.parse(process.env.FLEET_CONFIG ?? '{}') as Config;
const send = (message: unknown, done?: () => void) => process.send?.(message, undefined, {}, done);
const logger = { warn: (line: string) => send({ log: `warn ${line}` }), error: (line: string) => send({ log: `error ${line}` }) };

async function client(): Promise<ExploEmbedOptions['redis']> {
  if (config.client === 'url') return config.redis;
  if (config.client === 'ioredis') {
    const { Redis } = await import('ioredis');
    const io = new Redis(config.redis, { maxRetriesPerRequest: 1 });
    // As an app does before it serves: connected first (until then, an instance works alone).
    await new Promise((resolve) => io.once('ready', resolve));
    return io;
  }
  const { createClient } = await import('redis');
  const node = createClient({ url: config.redis, disableOfflineQueue: true });
  node.on('error', () => {});
  await node.connect();
  return node as unknown as ExploEmbedOptions['redis'];
}

const redis = await client();
const embed = createExploEmbed({
  secret: config.key,
  api: { token: 'explo-api-token-fleet-tests-0123456789', url: config.apiUrl },
  dashboards: { sales: 'emb-sales', ops: 'emb-ops', d3: 'emb-3', d4: 'emb-4' },
  redis,
  logger,
  ...config.options,
});

process.on('message', async (command: Command) => {
  if (command.op === 'health') return send({ id: command.id, health: embed.health() });
  if (command.op === 'close') {
    await embed.close();
    // A client the app made is the app's to close.
    const own = redis as { disconnect?: () => void; destroy?: () => void };
    if (typeof own.destroy === 'function') own.destroy();
    else own.disconnect?.();
    send({ id: command.id, closed: true }, () => process.exit(0));
    return;
  }
  // Each mint timed here, in its own process: what a request waits, without the test's IPC.
  const results = await Promise.all(
    command.customers.map(async (customerId) => {
      const start = performance.now();
      const settle = (outcome: object) => ({ ...outcome, ms: Math.round(performance.now() - start) });
      try {
        const token = await embed.mint({ customerId, dashboard: command.dashboard, fresh: command.fresh === true });
        return settle({ jwt: token.jwt });
      } catch (error) {
        const { code, retryAfter } = error as { code?: string; retryAfter?: number };
        return settle({ code: code ?? 'ERR_UNKNOWN', retryAfter });
      }
    }),
  );
  send({ id: command.id, results });
});
send({ ready: true });
