import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { RunningServer } from '../../../test/support/http.js';
import { ExploEmbedModule } from '../src/index.js';
import { type Platform, startNest } from './app-factory.js';

const KEY = { keyId: '6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e', keyValue: 'nest-property-key-value-32bytes!' };

describe.each<Platform>(['express', 'fastify'])('NestJS on %s: arbitrary raw query strings never answer 5xx', (platform) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startNest(platform, {
      imports: [ExploEmbedModule.forRoot({ secret: KEY, dashboards: { sales: 'emb-sales' }, customer: () => 'acme' })],
    });
  });
  afterAll(() => server.close());

  const rawQuery = fc.string({
    unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789%&=[]._-~+!$'()*,;:@/?".split('')),
    maxLength: 300,
  });

  it('answers 200, 400 or 404 for any query', async () => {
    await fc.assert(
      fc.asyncProperty(rawQuery, async (query) => {
        const status = await new Promise<number>((resolve, reject) => {
          const url = new URL(server.url);
          const req = request({ host: url.hostname, port: url.port, path: `/explo/token?${query}`, method: 'GET' }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
        expect([200, 400, 404]).toContain(status);
      }),
      { numRuns: 200 },
    );
  });
});
