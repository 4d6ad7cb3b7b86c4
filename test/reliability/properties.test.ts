import { request } from 'node:http';
import { createExploEmbed, decryptExploJwt, type ExploClaimOptions, REPORT_BUILDER_FEATURES } from '@explo-embed/core';
import { createExploAdapter } from '@explo-embed/core/adapter';
import { exploEmbed as expressEmbed } from '@explo-embed/express';
import { exploEmbed as koaEmbed } from '@explo-embed/koa';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import fc from 'fast-check';
import Koa from 'koa';
import { listen, type RunningServer } from '../support/http.js';

const KEY = { keyId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d', keyValue: 'property-test-key-value-32-bytes' };
const dashboards = { sales: 'emb-sales', ops: 'emb-ops' };
const embed = createExploEmbed({ secret: KEY, dashboards, reuse: false });
const adapter = createExploAdapter<undefined>({ secret: KEY, dashboards, reuse: false }, () => 'acme');

const claimsArb: fc.Arbitrary<ExploClaimOptions> = fc.record(
  {
    rbc: fc.oneof(fc.constant(['*'] as const), fc.uniqueArray(fc.constantFrom(...REPORT_BUILDER_FEATURES))),
    des: fc.boolean(),
    iss: fc.domain().map((d) => `https://${d}`),
  },
  { requiredKeys: [] },
);

describe('properties (fast-check)', () => {
  it('mint -> decrypt round-trips any unicode customer id and claim set', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
        claimsArb,
        fc.constantFrom('sales', 'ops'),
        async (customerId, claims, dashboard) => {
          const minter = createExploEmbed({ secret: KEY, dashboards, claims, reuse: false });
          const token = await minter.mint({ customerId, dashboard });
          const { claims: out } = await decryptExploJwt(token.jwt, KEY);
          expect(out.cst).toBe(customerId);
          expect(out.dsh).toBe(dashboards[dashboard]);
          expect(out.rbc).toEqual(claims.rbc === undefined ? undefined : [...claims.rbc]);
          expect(out.des).toBe(claims.des);
          expect(out.iss).toBe(claims.iss === undefined ? undefined : `${claims.iss}/`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('decryptExploJwt given arbitrary strings only ever raises coded errors', async () => {
    const segment = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')),
      maxLength: 60,
    });
    const shaped = fc.tuple(segment, segment, segment, segment, segment).map((parts) => parts.join('.'));
    const headerish = fc
      .tuple(fc.jsonValue(), segment, segment, segment)
      .map(([header, iv, ct, tag]) => `${Buffer.from(JSON.stringify(header)).toString('base64url')}..${iv}.${ct}.${tag}`);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), shaped, headerish), async (input) => {
        const error = await decryptExploJwt(input, KEY).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeDefined();
        expect((error as { code?: string }).code).toMatch(/^ERR_EXPLO_JWT_/);
      }),
      { numRuns: 1000 },
    );
  });

  it('flipped bits anywhere, or truncation, are rejected with coded errors', async () => {
    const { jwt } = await embed.mint({ customerId: 'tamper' });
    await fc.assert(
      fc.asyncProperty(fc.nat(jwt.length - 1), fc.integer({ min: 0, max: 5 }), fc.boolean(), async (position, bit, truncate) => {
        let tampered: string;
        if (truncate) {
          tampered = jwt.slice(0, position);
        } else {
          const chars = jwt.split('');
          const code = (chars[position] as string).charCodeAt(0) ^ (1 << bit);
          chars[position] = String.fromCharCode(code);
          tampered = chars.join('');
        }
        fc.pre(tampered !== jwt);
        const error = await decryptExploJwt(tampered, KEY).then(
          () => undefined,
          (e: unknown) => e,
        );
        // A flip in base64url padding bits can leave the bytes unchanged; anything else must fail.
        if (error === undefined) {
          const decode = (t: string) => t.split('.').map((s) => Buffer.from(s, 'base64url').toString('hex'));
          expect(decode(tampered)).toEqual(decode(jwt));
          return;
        }
        expect((error as { code?: string }).code).toMatch(/^ERR_EXPLO_JWT_/);
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary query strings to the token route never answer 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ unit: 'binary' }), fc.webQueryParameters(), fc.string({ maxLength: 3000 })),
        async (query) => {
          const response = await adapter.respond(undefined, { method: 'GET', url: `/explo/token?${query}`, headers: {} });
          expect(response.status).toBeLessThan(500);
          expect([200, 400, 404]).toContain(response.status);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('arbitrary raw query strings over HTTP never answer 5xx', () => {
  const servers: Record<string, RunningServer> = {};
  beforeAll(async () => {
    const e = express();
    e.use(expressEmbed({ secret: KEY, dashboards, customer: () => 'acme' }));
    servers.express = await listen((await import('node:http')).createServer(e));
    const k = new Koa();
    k.use(koaEmbed({ secret: KEY, dashboards, customer: () => 'acme' }));
    servers.koa = await listen((await import('node:http')).createServer(k.callback()));
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  });

  // Bytes a client may put in a request-target, including stray % escapes.
  const rawQuery = fc.string({
    unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789%&=[]._-~+!$'()*,;:@/?".split('')),
    maxLength: 300,
  });

  it.each(['express', 'koa'])('%s', async (name) => {
    await fc.assert(
      fc.asyncProperty(rawQuery, async (query) => {
        const status = await new Promise<number>((resolve, reject) => {
          const url = new URL((servers[name] as RunningServer).url);
          const req = request({ host: url.hostname, port: url.port, path: `/explo/token?${query}`, method: 'GET' }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
        expect(status).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });
});
