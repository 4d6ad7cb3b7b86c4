import { createExploEmbed } from '@explo-embed/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type ExploStandIn, startExploStandIn } from '../src/index.js';

// The stand-in's Customer and Resource APIs, and the faults that make an embed never load: what an
// app's own tests use to rehearse provisioning, resource checks and a blank frame on loopback.
const KEY = { keyId: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b', keyValue: 'stand-in-api-test-key-32-bytes!!' };
const API_TOKEN = 'stand-in-api-token-0123456789';

let standIn: ExploStandIn;
beforeAll(async () => {
  standIn = await startExploStandIn({
    keys: KEY,
    apiToken: API_TOKEN,
    requireCustomers: true,
    resources: { dashboards: { Sales: 'emb-sales' }, reportBuilders: { Reports: 'emb-reports' } },
  });
});
afterAll(() => standIn.close());
afterEach(() => standIn.setFaults());

const call = (path: string, body?: unknown, token = API_TOKEN) =>
  fetch(`${standIn.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', 'explo-authorization': `Token ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).then(async (response) => [response.status, await response.json()] as const);

describe('the stand-in’s Customer API', () => {
  it('gets or creates, updates and gets customers as Explo answers; a parent must exist', async () => {
    expect(await call('/api/create_customer/', { provided_id: 'api-a', properties: { plan: 'pro' } })).toEqual([
      200,
      { success: 1, new_customer: true, customer: expect.objectContaining({ provided_id: 'api-a', name: 'api-a' }) },
    ]);
    // Get-or-create: an existing customer comes back as it is.
    const [, again] = await call('/api/create_customer/', { provided_id: 'api-a', name: 'Changed' });
    expect(again).toMatchObject({ new_customer: false, customer: { name: 'api-a', properties: { plan: 'pro' } } });
    expect(await call('/api/update_customer/', { provided_id: 'api-a', name: 'A Inc.', group_tags: ['eu'] })).toEqual([
      200,
      { success: 1, customer: expect.objectContaining({ name: 'A Inc.', group_tags: ['eu'], properties: { plan: 'pro' } }) },
    ]);
    expect((await call('/api/get_customer/', { provided_id: 'api-a' }))[1].customer.name).toBe('A Inc.');
    expect((await call('/api/create_customer/', { provided_id: 'api-b', parent_provided_id: 'nobody' }))[0]).toBe(400);
    const [, child] = await call('/api/create_customer/', {
      provided_id: 'api-c',
      parent_provided_id: 'api-a',
      properties: { x: 1 },
    });
    expect(child.customer.computed_properties).toEqual({ plan: 'pro', x: 1 });
    expect((await call('/api/update_customer/', { provided_id: 'nobody' }))[0]).toBe(404);
    expect((await call('/api/create_customer/', { provided_id: 'api-d' }, 'wrong-token'))[0]).toBe(401);
    expect(standIn.customers().map((c) => c.provided_id)).toEqual(expect.arrayContaining(['api-a', 'api-c']));
  });

  it('the core provisions through it, and with requireCustomers only a provisioned customer’s token is valid', async () => {
    const unknown = await createExploEmbed({ secret: KEY, dashboards: { sales: 'emb-sales' } }).mint({ customerId: 'walk-in' });
    expect(await standIn.verify(unknown.jwt)).toMatchObject({ ok: false, code: 'ERR_EXPLO_CUSTOMER_UNKNOWN' });
    const embed = createExploEmbed({
      secret: KEY,
      dashboards: { sales: 'emb-sales' },
      customers: { apiToken: API_TOKEN, url: standIn.url, provision: () => ({ name: 'Acme', properties: { region: 'EU' } }) },
    });
    const { jwt } = await embed.mint({ customerId: 'acme' });
    expect(await standIn.verify(jwt)).toMatchObject({ ok: true, claims: { cst: 'acme' } });
    expect(standIn.customers().find((c) => c.provided_id === 'acme')).toMatchObject({
      name: 'Acme',
      properties: { region: 'EU' },
    });
    // Its generate_jwt refuses a customer it does not hold, as Explo does.
    expect((await call('/api/generate_jwt/', { provided_id: 'walk-in', embed_id: 'emb-sales' }))[0]).toBe(400);
  });
});

describe('the stand-in’s Resource API', () => {
  it('lists the dashboards and report builders it was given', async () => {
    expect(await call('/api/dashboard/')).toEqual([
      200,
      { success: 1, dashboards: [{ team_id: 1, name: 'Sales', embed_id: 'emb-sales', attributes: [] }] },
    ]);
    expect(await call('/api/reports/')).toEqual([200, { success: 1, reports: [{ name: 'Reports', embed_id: 'emb-reports' }] }]);
    expect((await call('/api/dashboard/', {}))[0]).toBe(405);
  });
});

describe('the stand-in’s faults for the API and for frames that never load', () => {
  it('apiFails: every API call answers that status; the core then refuses the customer’s token (503)', async () => {
    standIn.setFaults({ apiFails: 503 });
    expect((await call('/api/dashboard/'))[0]).toBe(503);
    const embed = createExploEmbed({
      secret: KEY,
      dashboards: { sales: 'emb-sales' },
      customers: { apiToken: API_TOKEN, url: standIn.url, provision: () => ({}) },
      logger: false,
    });
    await expect(embed.mint({ customerId: 'while-down' })).rejects.toMatchObject({ code: 'ERR_EXPLO_PROVISION_FAILED' });
  });

  it('unpublished: the embed of an unpublished environment shows it and sends nothing (it never loads)', async () => {
    await call('/api/create_customer/', { provided_id: 'shown' });
    const { jwt } = await createExploEmbed({ secret: KEY, dashboards: { d: 'emb-d' } }).mint({ customerId: 'shown' });
    standIn.setFaults({ unpublished: ['staging'] });
    const page = await (await fetch(standIn.iframeUrl(jwt, 'staging'))).text();
    expect(page).toContain('ERR_EXPLO_ENVIRONMENT_UNPUBLISHED');
    expect(await (await fetch(standIn.iframeUrl(jwt, 'production'))).text()).not.toContain('ERR_EXPLO_ENVIRONMENT_UNPUBLISHED');
    const verdict = await fetch(`${standIn.url}/api/verify?environment=staging`, { method: 'POST', body: jwt });
    expect(await verdict.json()).toMatchObject({ ok: false, code: 'ERR_EXPLO_ENVIRONMENT_UNPUBLISHED' });
  });

  it('emitAnalytics refuses a detail without a name', () => {
    expect(() => standIn.emitAnalytics({} as { name: string })).toThrow(TypeError);
  });
});
