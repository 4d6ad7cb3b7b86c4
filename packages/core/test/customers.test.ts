import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from '@jest/globals';
import { type ApiBehaviour, type ApiCall, answersLikeExplo, startExploApi } from '../../../test/support/explo-api.js';
import type { RunningServer } from '../../../test/support/http.js';
import { capturingLogger } from '../../../test/support/logger.js';
import { createExploAdapter, type ExploPageTarget } from '../src/adapter.js';
import type { ExploCustomer, ExploEmbedError, ExploEmbedOptions, ExploErrorContext } from '../src/index.js';
import { eventually, fakeTimers, KEY, manualClock, routeFor } from './fixtures.js';

// Customers provisioned in Explo before their first token: one call per customer, remembered; an
// update when what the app says of it changes; no token while Explo's Customer API fails.
const API_TOKEN = 'explo-customer-api-token-0123456789';
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Answers the Customer API as Explo does (get-or-create, update) and tokens like Explo; `override` answers first. */
function customerApi(override?: (call: ApiCall, n: number) => ReturnType<ApiBehaviour> | undefined): ApiBehaviour {
  const held = new Map<string, Record<string, unknown>>();
  return (call, n) => {
    const own = override?.(call, n);
    if (own !== undefined) return own;
    const id = String(call.body.provided_id);
    if (call.path === '/api/create_customer/') {
      const existing = held.get(id);
      if (existing) return { status: 200, body: { success: 1, new_customer: false, customer: existing } };
      held.set(id, { ...call.body });
      return { status: 200, body: { success: 1, new_customer: true, customer: call.body } };
    }
    if (call.path === '/api/update_customer/') {
      held.set(id, { ...held.get(id), ...call.body });
      return { status: 200, body: { success: 1, customer: held.get(id) } };
    }
    return answersLikeExplo(call, n);
  };
}

const paths = (calls: ApiCall[]) => calls.map((call) => call.path);

async function setup(
  behaviour: ApiBehaviour,
  provision: (customerId: string) => ExploCustomer | Promise<ExploCustomer>,
  extra: Partial<ExploEmbedOptions> = {},
) {
  const server = await startExploApi(behaviour);
  servers.push(server);
  const errors: [ExploEmbedError, ExploErrorContext][] = [];
  const minted: string[] = [];
  const logger = capturingLogger();
  const clock = manualClock();
  const fake = fakeTimers();
  const { embed, route } = routeFor(
    {
      secret: KEY,
      dashboards: { sales: 'emb-sales', ops: 'emb-ops' },
      customers: { apiToken: API_TOKEN, url: server.url, provision },
      clock: clock.now,
      logger,
      onError: (error, context) => errors.push([error, context]),
      onMint: ({ customerId }) => minted.push(customerId),
      ...extra,
    },
    fake.timers,
  );
  const ask = (customer: string, query = '') => route({ method: 'GET', query, customer: () => customer });
  return { server, embed, route, ask, errors, minted, logger, clock, fake };
}

describe('customers provisioned on first visit', () => {
  it('gets or creates the customer before its first token, with the body provision returns; minting stays local', async () => {
    const seen: [string, unknown][] = [];
    const { server, ask } = await setup(customerApi(), (customerId) => {
      seen.push([customerId, null]);
      return {
        name: 'Acme Inc.',
        properties: { plan: 'pro', seats: 12 },
        groupTags: ['eu'],
        emails: ['ops@acme.example'],
        parent: 'holding',
        hierarchyLevel: 'Customer',
      };
    });
    const response = await ask('acme');
    expect(response.status).toBe(200);
    expect(paths(server.calls)).toEqual(['/api/create_customer/']);
    const [call] = server.calls;
    expect(call?.method).toBe('POST');
    expect(call?.headers['explo-authorization']).toBe(`Token ${API_TOKEN}`);
    expect(call?.body).toEqual({
      provided_id: 'acme',
      name: 'Acme Inc.',
      properties: { plan: 'pro', seats: 12 },
      group_tags: ['eu'],
      emails: ['ops@acme.example'],
      parent_provided_id: 'holding',
      hierarchy_level_name: 'Customer',
    });
    expect(seen).toEqual([['acme', null]]);
  });

  it('concurrent first requests send one call; repeat requests, on any dashboard, send none', async () => {
    let asked = 0;
    const { server, ask, embed } = await setup(customerApi(), () => {
      asked++;
      return { properties: { plan: 'pro' } };
    });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => ask('acme', i % 2 ? 'dashboard=ops' : '')));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    await ask('acme', 'dashboard=ops&fresh=1');
    await embed.mint({ customerId: 'acme', dashboard: 'ops' });
    expect(paths(server.calls)).toEqual(['/api/create_customer/']);
    expect(asked).toBe(1);
    expect(server.calls[0]?.body).toEqual({ provided_id: 'acme', name: 'acme', properties: { plan: 'pro' } });
  });

  it('asks provision again after recheck, in the background: one update when the body changed, none when not', async () => {
    let plan = 'pro';
    let asked = 0;
    const { server, ask, clock } = await setup(customerApi(), () => {
      asked++;
      return { properties: { plan } };
    });
    await ask('acme');
    clock.advance(5 * 60_000 - 1);
    await ask('acme');
    expect(asked).toBe(1);
    clock.advance(1); // recheck, default "5m"
    expect((await ask('acme')).status).toBe(200);
    expect(asked).toBe(2);
    await eventually(
      async () => asked,
      () => true,
    );
    expect(paths(server.calls)).toEqual(['/api/create_customer/']);
    plan = 'enterprise';
    clock.advance(5 * 60_000);
    expect((await ask('acme')).status).toBe(200);
    await eventually(
      async () => server.calls.length,
      (n) => n === 2,
    );
    expect(paths(server.calls)).toEqual(['/api/create_customer/', '/api/update_customer/']);
    expect(server.calls[1]?.body).toEqual({ provided_id: 'acme', name: 'acme', properties: { plan: 'enterprise' } });
    // Not asked again before the next recheck, however many requests.
    await Promise.all([ask('acme'), ask('acme')]);
    expect(server.calls).toHaveLength(2);
  });

  it('an existing customer (new_customer false) holding other fields is updated once; one holding them is not', async () => {
    const stale = customerApi((call) =>
      call.path === '/api/create_customer/'
        ? { status: 200, body: { success: 1, new_customer: false, customer: { name: 'acme', properties: { plan: 'free' } } } }
        : undefined,
    );
    const first = await setup(stale, () => ({ properties: { plan: 'pro' } }));
    await first.ask('acme');
    expect(paths(first.server.calls)).toEqual(['/api/create_customer/', '/api/update_customer/']);

    const same = customerApi((call) =>
      call.path === '/api/create_customer/'
        ? {
            status: 200,
            body: {
              success: 1,
              new_customer: false,
              customer: { name: 'acme', emails: ['b@x.example', 'a@x.example'], properties: { plan: 'pro' } },
            },
          }
        : undefined,
    );
    const second = await setup(same, () => ({ properties: { plan: 'pro' }, emails: ['a@x.example', 'b@x.example'] }));
    await second.ask('acme');
    expect(paths(second.server.calls)).toEqual(['/api/create_customer/']);
  });

  it('when the Customer API fails, the token request fails: 503 with Retry-After, no token minted; the next request tries again', async () => {
    let down = true;
    const { server, ask, minted, errors, logger } = await setup(
      customerApi(() => (down ? { status: 500, body: {} } : undefined)),
      () => ({ name: 'Acme' }),
    );
    const response = await ask('acme');
    expect(response.status).toBe(503);
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'ERR_EXPLO_PROVISION_FAILED', status: 503 });
    expect(minted).toEqual([]);
    expect(paths(server.calls)).toEqual(Array(3).fill('/api/create_customer/')); // retried twice
    expect(errors[0]?.[0].cause).toMatchObject({ code: 'ERR_EXPLO_API_UNAVAILABLE' });
    expect(errors[0]?.[1]).toEqual({ phase: 'route', customerId: 'acme' });
    expect(logger.lines).toEqual([expect.stringMatching(/^error \[explo-embed\] ERR_EXPLO_PROVISION_FAILED \(route\)/)]);
    down = false;
    expect((await ask('acme')).status).toBe(200);
    expect(minted).toEqual(['acme']);
  });

  it('a refused body (a group tag Explo does not have) is 503 with Retry-After 30, and says where to look', async () => {
    const { ask, errors } = await setup(
      customerApi(() => ({ status: 400, body: { detail: 'group tag missing' } })),
      () => ({ groupTags: ['nope'] }),
    );
    const response = await ask('acme');
    expect([response.status, response.headers['retry-after']]).toEqual([503, '30']);
    expect(errors[0]?.[0].message).toMatch(/refused to get or create the customer \(HTTP 400\)/);
  });

  it('the budget of calls is the one API minting uses: a spent budget refuses the customer call too', async () => {
    const server = await startExploApi(customerApi());
    servers.push(server);
    const { embed } = routeFor(
      {
        api: { token: API_TOKEN, url: server.url, rateLimit: { perMinute: 1, maxWait: 0 } },
        dashboards: { sales: 'emb-sales' },
        customers: { provision: () => ({}) }, // apiToken and url from api
        logger: false,
      },
      fakeTimers().timers,
    );
    const error = (await embed.mint({ customerId: 'acme' }).catch((e) => e)) as ExploEmbedError;
    // The customer call took the minute's one call: the token call is refused by the same budget.
    expect(paths(server.calls)).toEqual(['/api/create_customer/']);
    expect(server.calls[0]?.headers['explo-authorization']).toBe(`Token ${API_TOKEN}`);
    expect(error.code).toBe('ERR_EXPLO_API_RATE_LIMITED');
  });

  it('a provision that throws is the app’s error: 500 ERR_EXPLO_HOOK_FAILED, logged with where it threw', async () => {
    const { server, ask, errors, logger } = await setup(customerApi(), () => {
      throw new Error('db down: password=hunter2');
    });
    const response = await ask('acme');
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body).code).toBe('ERR_EXPLO_HOOK_FAILED');
    expect(errors[0]?.[0]).toMatchObject({ code: 'ERR_EXPLO_HOOK_FAILED', hook: 'provision' });
    expect(logger.lines[0]).toMatch(/ERR_EXPLO_HOOK_FAILED \(route\): The provision hook threw/);
    expect(logger.lines.join('\n')).not.toContain('hunter2');
    expect(server.calls).toEqual([]);
  });

  it.each([
    [{ group_tags: ['eu'] }, /unknown field "group_tags" \(write groupTags\)/],
    [{ properties: [1] }, /properties: an array/],
    [{ name: '' }, /name: an empty string/],
    [{ emails: 'a@x.example' }, /emails: a string/],
    [{ parent: 'acme' }, /parent: the customer itself/],
    [{ mapping: { 40: 213 } }, /mapping: an object/],
    ['acme', /a string, not/],
  ])('what provision returns is checked: %p', async (body, message) => {
    const { server, ask, errors } = await setup(customerApi(), () => body as ExploCustomer);
    expect((await ask('acme')).status).toBe(500);
    expect(errors[0]?.[0].code).toBe('ERR_EXPLO_PROVISION_INVALID');
    expect(errors[0]?.[0].message).toMatch(message);
    expect(server.calls).toEqual([]);
  });

  it('a recheck that fails is reported (phase "provision") and costs no request its token', async () => {
    let fail = false;
    const { ask, clock, errors } = await setup(customerApi(), () => {
      if (fail) throw new Error('db down');
      return {};
    });
    await ask('acme');
    fail = true;
    clock.advance(10 * 60_000);
    expect((await ask('acme')).status).toBe(200);
    await eventually(
      async () => errors.length,
      (n) => n > 0,
    );
    expect(errors[0]?.[1]).toEqual({ phase: 'provision', customerId: 'acme' });
    expect(errors[0]?.[0]).toMatchObject({ code: 'ERR_EXPLO_HOOK_FAILED', hook: 'provision' });
    // Not asked again on every request meanwhile.
    await ask('acme');
    expect(errors).toHaveLength(1);
  });

  it('never shows the API token, even when an answer echoes it', async () => {
    const { ask, errors } = await setup(
      customerApi(() => ({ status: 200, body: `<html>Token ${API_TOKEN}</html>` })),
      () => ({}),
    );
    const response = await ask('acme');
    expect(response.status).toBe(503);
    const all = `${response.body} ${errors.map(([e]) => `${e.message} ${inspect(e)} ${(e.cause as Error).message}`).join(' ')}`;
    expect(all).toMatch(/not JSON/);
    expect(all).not.toContain(API_TOKEN);
  });
});

describe('options of customers', () => {
  it.each([
    [{ provision: 'x' }, 'customers.provision'],
    [{ provision: () => ({}) }, 'customers.apiToken'],
    [{ provision: () => ({}), apiToken: 'short' }, 'customers.apiToken'],
    [{ provision: () => ({}), apiToken: API_TOKEN, url: 'http://explo.example' }, 'customers.url'],
    [{ provision: () => ({}), apiToken: API_TOKEN, recheck: '0s' }, 'customers.recheck'],
    [{ provision: () => ({}), apiToken: API_TOKEN, provison: 1 }, 'customers.provison'],
  ])('%p is refused naming %s, never repeating the token', (customers, option) => {
    const create = () =>
      routeFor({ secret: KEY, dashboards: { sales: 'e' }, customers: customers as ExploEmbedOptions['customers'] });
    expect(create).toThrow(expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID', option }));
    try {
      create();
    } catch (error) {
      expect((error as Error).message).not.toContain(API_TOKEN);
    }
  });
});

describe('the page path with customers', () => {
  const info = { method: 'GET', url: '/page', headers: {} };
  const target = (): ExploPageTarget & { locals: Record<string, unknown> } => ({ locals: {}, setHeader: () => {} });

  it('a customer Explo may not hold yet waits for it before the handler; a provisioned one is produced on read', async () => {
    const server = await startExploApi(customerApi());
    servers.push(server);
    const minted: string[] = [];
    const adapter = createExploAdapter<string>(
      {
        secret: KEY,
        dashboards: { sales: 'emb-sales' },
        customers: { apiToken: API_TOKEN, url: server.url, provision: () => ({}) },
        reuse: false, // every token produced is a mint: what is produced shows
        logger: false,
        onMint: ({ customerId }) => minted.push(customerId),
      },
      (request) => request,
    );
    await adapter.attach('warm-up', info, target()); // the hook answers at once: learned
    // First visit: provisioned (and minted) before the handler, so the page reads a token, not "pending".
    const first = target();
    await adapter.attach('acme', info, first);
    expect(paths(server.calls)).toEqual(['/api/create_customer/', '/api/create_customer/']);
    expect(typeof first.locals.exploJwt).toBe('string');
    expect(first.locals.exploError).toBeUndefined();
    // Known now: produced when read, and not at all when not read.
    minted.splice(0);
    const later = target();
    await adapter.attach('acme', info, target());
    await adapter.attach('acme', info, later);
    expect(minted).toEqual([]);
    expect(typeof later.locals.exploJwt).toBe('string');
    expect(minted).toEqual(['acme']);
    expect(server.calls).toHaveLength(2);
  });
});
