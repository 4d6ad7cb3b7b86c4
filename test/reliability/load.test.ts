import { decryptExploJwt } from '@explo-embed/core';
import { describe, expect, it } from '@jest/globals';
import autocannon from 'autocannon';
import { type ExampleName, startExampleProcess } from '../support/example-process.js';

// Loopback only, bounded in count: 20 000 requests at concurrency 100 per example.
const KEY = { keyId: '8e9f0a1b-2c3d-4e5f-8a7b-9c0d1e2f3a4b', keyValue: 'load-test-key-value-of-32-bytes!' };
const ENV = { EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue, EXPLO_DASHBOARDS: 'sales=emb-sales,ops=emb-ops' };
const CUSTOMERS = 100;
const REQUESTS = 20_000;

describe.each<ExampleName>(['express', 'koa', 'nestjs'])('examples/%s token route under load', (name) => {
  it(`${REQUESTS} requests at concurrency ${CUSTOMERS}: all 2xx, every token for its own customer`, async () => {
    const app = await startExampleProcess(name, ENV);
    try {
      const sessions = await Promise.all(
        Array.from({ length: CUSTOMERS }, async (_, i) => ({
          id: `load-${name}-${i}`,
          cookie: await app.login(`load-${name}-${i}`),
        })),
      );
      const seen: { customer: string; status: number; body: string }[] = [];
      let assigned = 0;
      let sent = 0;
      // What went wrong, by kind, if anything did (a count alone says nothing on a loaded machine).
      const failures = new Map<string, number>();
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const run = autocannon(
          {
            url: app.url,
            connections: CUSTOMERS,
            amount: REQUESTS,
            timeout: 10,
            requests: [
              {
                method: 'GET',
                path: '/explo/token',
                // Each connection is one logged-in customer; every 10th request asks for a fresh mint.
                setupRequest: (request, context: { session?: { id: string; cookie: string } }) => {
                  context.session ??= sessions[assigned++ % CUSTOMERS];
                  const session = context.session as { cookie: string };
                  const path = ++sent % 10 === 0 ? '/explo/token?fresh=1&dashboard=ops' : '/explo/token';
                  return { ...request, path, headers: { ...request.headers, cookie: session.cookie } };
                },
                onResponse: (status, body, context: { session?: { id: string } }) => {
                  seen.push({ customer: (context.session as { id: string }).id, status, body });
                },
              },
            ],
          },
          (error, done) => (error ? reject(error) : resolve(done)),
        );
        run.on('reqError', (error: NodeJS.ErrnoException) => {
          const kind = error.code ?? error.message;
          failures.set(kind, (failures.get(kind) ?? 0) + 1);
        });
      });
      expect(Object.fromEntries(failures)).toEqual({});
      expect(result.errors).toBe(0);
      expect(result.timeouts).toBe(0);
      expect(result.non2xx).toBe(0);
      expect(seen).toHaveLength(REQUESTS);
      // No cross-customer mix-up: every token decrypts to the customer whose session asked.
      const owner = new Map<string, string>();
      for (const { customer, status, body } of seen) {
        expect(status).toBe(200);
        const { jwt } = JSON.parse(body) as { jwt: string };
        const known = owner.get(jwt);
        if (known === undefined) {
          const { claims } = await decryptExploJwt(jwt, KEY);
          owner.set(jwt, claims.cst);
          expect(claims.cst).toBe(customer);
        } else {
          expect(known).toBe(customer);
        }
      }
      expect(new Set(owner.values()).size).toBe(CUSTOMERS);
    } finally {
      await app.close();
    }
  }, 120_000);
});
