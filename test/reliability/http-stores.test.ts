import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import * as nodeAdapter from '../../packages/core/src/adapter.js';
import * as edgeAdapter from '../../packages/core/src/edge/adapter.js';
import * as edge from '../../packages/core/src/edge/index.js';
import * as node from '../../packages/core/src/index.js';
import { mintsLikeExplo, startExploApi } from '../support/explo-api.js';
import type { RunningServer } from '../support/http.js';
import { type RunningRedis, startRedis } from '../support/redis.js';
import { type RunningUpstashRest, startUpstashRest } from '../support/upstash-rest.js';

// Redis over HTTP, for edge fleets: upstashRedis() against a local server that speaks Upstash's
// REST protocol in front of Debian's redis-server, and workersKvStore() on a stand-in KV binding.
// Each runs on both entries of the core (Node's and the edge one).
const KEY = { keyId: '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e', keyValue: 'rest-store-test-key-of-32-bytes!' };
const REST_TOKEN = 'AXYZrest-token-for-the-local-stand-in-0123456789';
const API_TOKEN = 'explo-api-token-for-http-stores-01234';
const dashboards = { sales: 'emb-sales' };
// Redis on this machine answers in microseconds; a loaded machine's slow answer is not Redis down.
const PATIENT = { reuse: { storeTimeout: '10s' } } as const;
const ENTRIES = [
  ['node', node, nodeAdapter],
  ['edge', edge, edgeAdapter],
] as const;

let redis: RunningRedis;
let rest: RunningUpstashRest;
let api: RunningServer & { calls: unknown[] };
beforeAll(async () => {
  [redis, api] = await Promise.all([startRedis(), startExploApi(mintsLikeExplo([KEY], () => Date.now()))]);
  rest = await startUpstashRest(redis.url, REST_TOKEN);
}, 30_000);
afterEach(() => {
  rest.answerWith(undefined);
  rest.commands.splice(0);
  execFileSync('redis-cli', ['-p', String(redis.port), 'FLUSHALL'], { stdio: 'ignore' });
});
afterAll(async () => {
  await rest?.close();
  await api?.close();
  await redis?.stop();
});

function logger() {
  const lines: string[] = [];
  return { lines, logger: { warn: (line: string) => lines.push(line), error: (line: string) => lines.push(line) } };
}

describe.each(ENTRIES)('upstashRedis() as `redis` (%s entry)', (_name, core, adapter) => {
  const instance = (extra: Partial<node.ExploEmbedOptions> = {}) =>
    core.createExploEmbed({
      secret: KEY,
      dashboards,
      logger: false,
      redis: core.upstashRedis({ url: rest.url, token: REST_TOKEN }),
      ...PATIENT,
      ...extra,
    });

  it('two instances mint once per customer: the second reads the first one’s token over HTTP', async () => {
    const minted: string[] = [];
    const a = instance({ onMint: (e) => minted.push(`a:${e.customerId}`) });
    const b = instance({ onMint: (e) => minted.push(`b:${e.customerId}`) });
    const fromA = await a.mint({ customerId: 'acme' });
    const fromB = await b.mint({ customerId: 'acme' });
    expect(fromB.jwt).toBe(fromA.jwt);
    expect(minted).toEqual(['a:acme']);
    expect(b.health().redis).toBe('ready');
    // The store's keys are digests: no customer id, dashboard or key in clear.
    const written = rest.commands.filter(([command]) => command === 'SET');
    expect(written.length).toBeGreaterThan(0);
    expect(JSON.stringify(rest.commands)).not.toMatch(/acme|emb-sales|rest-store-test-key/);
  });

  it('the fresh budget is the fleet’s: past it, the token route of another instance mints no fresh token', async () => {
    let now = Date.now();
    const minted: string[] = [];
    const route = () => {
      const kit = adapter.createExploAdapter<string>(
        {
          secret: KEY,
          dashboards,
          logger: false,
          clock: () => now,
          redis: core.upstashRedis({ url: rest.url, token: REST_TOKEN }),
          reuse: { ...PATIENT.reuse, freshPerMinute: 2 },
          onMint: (e) => minted.push(e.customerId),
        },
        (customer) => customer,
      );
      return (customer: string) =>
        kit.respond(customer, { method: 'GET', url: '/explo/token?fresh=1', headers: {} }).then((r) => r.status);
    };
    const [a, b] = [route(), route()];
    expect(await a('acme')).toBe(200);
    now += 2_100;
    expect(await a('acme')).toBe(200);
    // b has the fleet's count: the third fresh token of the minute is refused (b has no token of its own to hand out).
    expect(await b('acme')).toBe(429);
    expect(minted).toEqual(['acme', 'acme']);
    // Another customer has a budget of its own.
    expect(await b('globex')).toBe(200);
  });

  it('through Explo’s API: one call for the fleet (single flight and budget in Redis, over HTTP)', async () => {
    const viaApi = { api: { token: API_TOKEN, url: api.url } };
    const instances = [instance(viaApi), instance(viaApi), instance(viaApi)];
    const before = api.calls.length;
    const tokens = await Promise.all(instances.flatMap((i) => [i.mint({ customerId: 'acme' }), i.mint({ customerId: 'acme' })]));
    expect(new Set(tokens.map((t) => t.jwt)).size).toBe(1);
    expect(api.calls.length - before).toBe(1);
    expect(instances[0]?.health().api?.remaining).toBeLessThan(180);
    expect(rest.commands.some(([command]) => command === 'EVAL')).toBe(true);
  });

  it('a refused token, or answers that are not Upstash’s, cost sharing, never a request, and never show the token', async () => {
    const { lines, logger: log } = logger();
    const wrong = core.createExploEmbed({
      secret: KEY,
      dashboards,
      logger: log,
      redis: core.upstashRedis({ url: rest.url, token: `${REST_TOKEN}-wrong` }),
      ...PATIENT,
    });
    expect((await wrong.mint({ customerId: 'acme' })).jwt).toMatch(/^ey/);
    expect(wrong.health().redis).toBe('down');
    expect(lines.join('\n')).toMatch(/ERR_EXPLO_STORE_UNAVAILABLE/);
    for (const answer of [
      { status: 200, body: '<html>proxy error</html>' },
      { status: 200, body: JSON.stringify({ result: 'x'.repeat(100_000) }) },
      { status: 502, body: JSON.stringify({ error: `bad gateway for Bearer ${REST_TOKEN}` }) },
    ]) {
      rest.answerWith(answer);
      const { lines: seen, logger: seenLog } = logger();
      const embed = instance({ logger: seenLog });
      expect((await embed.mint({ customerId: 'acme' })).jwt).toMatch(/^ey/);
      expect(embed.health().redis).toBe('down');
      expect(seen.join('\n')).not.toContain(REST_TOKEN);
    }
    expect(lines.join('\n')).not.toContain(REST_TOKEN);
  });

  it('checks its options at once, naming the field and never the token', () => {
    const codeOf = (options: object) => {
      try {
        core.upstashRedis(options as node.UpstashRedisOptions);
      } catch (error) {
        expect((error as Error).message).not.toContain(REST_TOKEN);
        return [(error as { code: string }).code, (error as Error).message.split(':')[0]];
      }
      return 'no error';
    };
    expect(codeOf({ url: 'http://redis.example.com', token: REST_TOKEN })).toEqual([
      'ERR_EXPLO_OPTION_INVALID',
      'Invalid option "upstashRedis.url"',
    ]);
    expect(codeOf({ url: 'https://x.upstash.io', token: `${REST_TOKEN}\n` })).toEqual([
      'ERR_EXPLO_OPTION_INVALID',
      'Invalid option "upstashRedis.token"',
    ]);
    expect(codeOf({ url: 'https://x.upstash.io', token: REST_TOKEN, tokn: 1 })).toEqual([
      'ERR_EXPLO_OPTION_INVALID',
      expect.any(String),
    ]);
  });
});

/** A stand-in of a Workers KV binding: a Map, with what each put asked for. */
function kvNamespace() {
  const values = new Map<string, string>();
  const puts: { key: string; expirationTtl: number | undefined }[] = [];
  return {
    values,
    puts,
    binding: {
      get: async (key: string, _type: 'text') => values.get(key) ?? null,
      put: async (key: string, value: string, options?: { expirationTtl?: number }) => {
        values.set(key, value);
        puts.push({ key, expirationTtl: options?.expirationTtl });
      },
    },
  };
}

describe.each(ENTRIES)('workersKvStore() as `reuse.store` (%s entry)', (_name, core, _adapter) => {
  it('shares tokens between instances; what is not a token entry is a miss, minted anew', async () => {
    const kv = kvNamespace();
    const minted: string[] = [];
    const instance = () =>
      core.createExploEmbed({
        secret: KEY,
        dashboards,
        logger: false,
        expiresIn: '30s',
        reuse: { store: core.workersKvStore(kv.binding) },
        onMint: (e) => minted.push(e.customerId),
      });
    const first = await instance().mint({ customerId: 'acme' });
    expect((await instance().mint({ customerId: 'acme' })).jwt).toBe(first.jwt);
    expect(minted).toEqual(['acme']);
    // KV refuses an expiry under a minute: the entry lives 60 s, the core still reuses it for 15 s only.
    expect(kv.puts.map((put) => put.expirationTtl)).toEqual([60]);
    expect([...kv.values.keys()].join()).not.toContain('acme');
    for (const garbage of [
      'not json',
      JSON.stringify({ jwt: 'x'.repeat(20_000) }),
      JSON.stringify({ ...JSON.parse([...kv.values.values()][0] as string), seal: 'forged' }),
    ]) {
      for (const key of kv.values.keys()) kv.values.set(key, garbage);
      const again = await instance().mint({ customerId: 'acme' });
      expect((await core.decryptExploJwt(again.jwt, KEY)).claims.cst).toBe('acme');
    }
    expect(minted).toEqual(['acme', 'acme', 'acme', 'acme']);
  });

  it('refuses what is not a KV binding', () => {
    expect(() => core.workersKvStore({} as never)).toThrow(expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID' }));
  });
});
