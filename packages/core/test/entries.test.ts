import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import * as nodeAdapter from '../src/adapter.js';
import * as nodeApp from '../src/app.js';
import { assemble } from '../src/create-embed.js';
import * as edgeAdapter from '../src/edge/adapter.js';
import * as edgeApp from '../src/edge/app.js';
import * as edgeIndex from '../src/edge/index.js';
import * as nodeIndex from '../src/index.js';
import { nodePlatform } from '../src/platform/node-platform.js';
import { webPlatform } from '../src/platform/web-platform.js';
import { decryptByHand, encryptByHand, KEY, KEY2, manualClock, T0 } from './fixtures.js';

// One set of behaviour tests, run against both entries of the core: the Node one (node:crypto) and
// the edge one (Web Crypto), which package.json conditions hand to edge runtimes.
const ENTRIES = [
  { name: 'node', core: nodeIndex, adapter: nodeAdapter, platform: nodePlatform },
  { name: 'edge', core: edgeIndex, adapter: edgeAdapter, platform: webPlatform },
] as const;
const dashboards = { sales: 'emb-sales', ops: 'emb-ops' };

const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
beforeAll(() => {
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
afterAll(async () => {
  await reader.shutdown();
  metrics.disable();
});

describe('the entries offer the same names', () => {
  it.each([
    ['@explo-embed/core', nodeIndex, edgeIndex],
    ['@explo-embed/core/app', nodeApp, edgeApp],
    ['@explo-embed/core/adapter', nodeAdapter, edgeAdapter],
  ])('%s', (_name, node: Record<string, unknown>, edge: Record<string, unknown>) => {
    expect(Object.keys(edge).sort()).toEqual(Object.keys(node).sort());
    // The shared parts are the same objects: one error class per code, whichever entry threw it.
    for (const key of Object.keys(node)) {
      if (key !== 'createExploEmbed' && key !== 'createExploAdapter') expect([key, edge[key]]).toEqual([key, node[key]]);
    }
  });
});

describe.each(ENTRIES)('$name entry', ({ name, core, adapter, platform }) => {
  it('mints dir + A256GCM with a 12-byte random IV: header {alg, enc, kid}, claims from the injected clock', async () => {
    const clock = manualClock(T0 + 999);
    const embed = core.createExploEmbed({ secret: KEY, dashboards, expiresIn: '2h', clock: clock.now, reuse: false });
    const token = await embed.mint({ customerId: 'customer_1', dashboard: 'ops' });
    const { header, payload, ivLength } = decryptByHand(token.jwt, KEY.keyValue);
    expect(Object.keys(header)).toEqual(['alg', 'enc', 'kid']);
    expect(header).toEqual({ alg: 'dir', enc: 'A256GCM', kid: KEY.keyId });
    expect(payload).toEqual({ cst: 'customer_1', dsh: 'emb-ops', iat: T0 / 1000, exp: T0 / 1000 + 7200 });
    expect(ivLength).toBe(12);
    expect(token).toMatchObject({ dashboard: 'ops', embedId: 'emb-ops', keyId: KEY.keyId, expiresIn: 7199 });
    const again = await embed.mint({ customerId: 'customer_1', dashboard: 'ops' });
    expect(again.jwt.split('.')[2]).not.toBe(token.jwt.split('.')[2]);
  });

  it('writes the optional claims', async () => {
    const embed = core.createExploEmbed({
      secret: KEY,
      dashboards,
      claims: { rbc: ['flt'], des: true, iss: 'https://app.example.com' },
      logger: false,
    });
    const { claims } = await core.decryptExploJwt((await embed.mint({ customerId: 'acme' })).jwt, KEY);
    expect(claims).toMatchObject({ cst: 'acme', dsh: 'emb-sales', rbc: ['flt'], des: true, iss: 'https://app.example.com/' });
  });

  it("decrypts Explo's own 16-byte-IV tokens, with a key ring chosen by kid", async () => {
    const now = Math.floor(Date.now() / 1000);
    const legacy = await encryptByHand(
      { alg: 'dir', enc: 'A256GCM', kid: KEY.keyId },
      { exp: now + 3600.25, cst: 'customer_1', dsh: 'abcdef' },
      KEY.keyValue,
      Buffer.alloc(16, 7),
    );
    expect((await core.decryptExploJwt(legacy, [KEY2, KEY])).claims).toEqual({
      exp: now + 3600.25,
      cst: 'customer_1',
      dsh: 'abcdef',
    });
    const embed = core.createExploEmbed({ secret: [KEY2, KEY], dashboards, logger: false });
    expect((await embed.decrypt(legacy)).header.kid).toBe(KEY.keyId);
    const altered = `${legacy.slice(0, -3)}${legacy.endsWith('A') ? 'B' : 'A'}${legacy.slice(-2)}`;
    await expect(embed.decrypt(altered)).rejects.toMatchObject({ code: 'ERR_EXPLO_JWT_DECRYPTION_FAILED' });
    await expect(embed.decrypt('a.b.c')).rejects.toMatchObject({ code: 'ERR_EXPLO_JWT_INVALID' });
  });

  it('validates options at once, with coded errors that never echo the key value', () => {
    const codeOf = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        expect(String((error as Error).message)).not.toContain('k3y-value');
        return (error as { code?: string }).code;
      }
      return 'no error';
    };
    expect(codeOf(() => core.createExploEmbed({ secret: { keyId: KEY.keyId, keyValue: `${KEY.keyValue}\n` }, dashboards }))).toBe(
      'ERR_EXPLO_KEY_LENGTH',
    );
    expect(codeOf(() => core.createExploEmbed({ secret: KEY, dashboards: {} }))).toBe('ERR_EXPLO_OPTION_INVALID');
    expect(codeOf(() => core.createExploEmbed({ secret: KEY, dashboards, expiresIn: '1s' }))).toBe('ERR_EXPLO_OPTION_INVALID');
    expect(codeOf(() => core.createExploEmbed({ secret: KEY, dashboards, reuse: { store: {} as never } }))).toBe(
      'ERR_EXPLO_OPTION_INVALID',
    );
  });

  it('keeps to the allowlist, reuses while young, mints anew when fresh', async () => {
    const clock = manualClock();
    const minted: string[] = [];
    const embed = core.createExploEmbed({ secret: KEY, dashboards, clock: clock.now, onMint: (e) => minted.push(e.dashboard) });
    await expect(embed.mint({ customerId: 'acme', dashboard: 'payroll' })).rejects.toMatchObject({
      code: 'ERR_EXPLO_DASHBOARD_UNKNOWN',
    });
    await expect(embed.mint({ customerId: '' })).rejects.toMatchObject({ code: 'ERR_EXPLO_CUSTOMER_INVALID' });
    const first = await embed.mint({ customerId: 'acme' });
    expect((await embed.mint({ customerId: 'acme' })).jwt).toBe(first.jwt);
    clock.advance(2_001);
    const fresh = await embed.mint({ customerId: 'acme', fresh: true });
    expect(fresh.jwt).not.toBe(first.jwt);
    expect((await embed.mint({ customerId: 'acme' })).jwt).toBe(fresh.jwt);
    expect(minted).toEqual(['sales', 'sales']);
    expect(embed.health()).toEqual({ ready: true, secret: 'ready' });
  });

  it('a secret provider: its keys, and a coded 503-class error while it fails', async () => {
    let fail = false;
    const embed = core.createExploEmbed({
      secret: async () => {
        if (fail) throw new Error('vault down');
        return KEY;
      },
      dashboards,
      reuse: false,
      logger: false,
      secretCache: { ttl: '1s' },
    });
    expect((await core.decryptExploJwt((await embed.mint({ customerId: 'acme' })).jwt, KEY)).claims.cst).toBe('acme');
    const failing = core.createExploEmbed({
      secret: () => {
        throw new Error('vault down');
      },
      dashboards,
      logger: false,
    });
    fail = true;
    await expect(failing.mint({ customerId: 'acme' })).rejects.toMatchObject({ code: 'ERR_EXPLO_SECRET_UNAVAILABLE' });
  });

  it('the token route and the page through the adapter kit: 200 with a token, 401 without a customer, coded 404', async () => {
    const kit = adapter.createExploAdapter<Request>({ secret: KEY, dashboards, logger: false }, (request) =>
      request.headers.get('x-customer'),
    );
    const ask = (url: string, customer?: string) => {
      const request = new Request(`https://app.example.com${url}`, { headers: customer ? { 'x-customer': customer } : {} });
      return kit.respond(request, { method: 'GET', url, headers: request.headers });
    };
    const ok = await ask('/explo/token?dashboard=ops', 'acme');
    expect(ok.status).toBe(200);
    const body = JSON.parse(ok.body) as { jwt: string; dashboard: string };
    expect(body.dashboard).toBe('ops');
    expect((await core.decryptExploJwt(body.jwt, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'emb-ops' });
    expect((await ask('/explo/token')).status).toBe(401);
    const unknown = await ask('/explo/token?dashboard=payroll', 'acme');
    expect([unknown.status, JSON.parse(unknown.body).code]).toEqual([404, 'ERR_EXPLO_DASHBOARD_UNKNOWN']);
    const page = await kit.page(new Request('https://app.example.com/', { headers: { 'x-customer': 'acme' } }), {
      method: 'GET',
      url: '/',
      headers: {},
    });
    expect((await core.decryptExploJwt(page.token?.jwt as string, KEY)).claims.cst).toBe('acme');
  });

  it(`a page's token ${name === 'node' ? 'can be minted while the page renders (node:crypto)' : 'is produced before the handler (Web Crypto is asynchronous)'}`, async () => {
    const { embed, issuer } = assemble({ secret: KEY, dashboards, logger: false }, platform);
    await embed.mint({ customerId: 'warm-up' }); // key material ready
    expect(issuer.answersNow()).toBe(name === 'node');
  });

  it('counts mints through OpenTelemetry, as the app registered it', async () => {
    await reader.forceFlush();
    metricExporter.reset();
    const embed = core.createExploEmbed({ secret: KEY, dashboards, reuse: false, logger: false });
    await embed.mint({ customerId: 'acme' });
    await embed.mint({ customerId: 'acme' });
    await reader.forceFlush();
    const counted = metricExporter
      .getMetrics()
      .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics))
      .find((metric) => metric.descriptor.name === 'explo_embed.tokens.minted');
    expect(counted?.dataPoints.map((point) => point.value)).toEqual([expect.any(Number)]);
    expect(counted?.dataPoints[0]?.value).toBeGreaterThanOrEqual(2);
  });

  it(name === 'node' ? 'publishes to the diagnostics channels' : 'has no diagnostics channels (no node: module)', async () => {
    const seen: unknown[] = [];
    const listener = (message: unknown) => seen.push(message);
    subscribe(core.DIAGNOSTICS_CHANNELS.mint, listener);
    try {
      await core.createExploEmbed({ secret: KEY, dashboards, logger: false }).mint({ customerId: 'acme' });
    } finally {
      unsubscribe(core.DIAGNOSTICS_CHANNELS.mint, listener);
    }
    expect(seen).toHaveLength(name === 'node' ? 1 : 0);
  });

  it(
    name === 'node' ? 'takes a redis:// URL' : 'refuses a redis:// URL at creation, naming Redis over HTTP instead',
    async () => {
      const make = () => core.createExploEmbed({ secret: KEY, dashboards, logger: false, redis: 'redis://127.0.0.1:1' });
      if (name === 'node') {
        const embed = make();
        expect(embed.health().redis).toBe('down');
        await embed.close();
        return;
      }
      expect(make).toThrow(
        expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID', message: expect.stringMatching(/TCP.*upstashRedis/) }),
      );
    },
  );
});
