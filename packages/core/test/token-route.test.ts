import { describe, expect, it } from '@jest/globals';
import { capturingLogger } from '../../../test/support/logger.js';
import { parseTokenQuery } from '../src/route/query.js';
import { KEY, routeFor } from './fixtures.js';

const logger = capturingLogger();
const { route } = routeFor({ secret: KEY, dashboards: { sales: 'emb-s', ops: 'emb-o' }, logger });
const call = (customer: unknown, query = '', method = 'GET') => route({ method, query, customer: () => customer as string });

describe('the framework-free token route', () => {
  it('answers 200 with exactly jwt, expiresAt, expiresIn, dashboard', async () => {
    const response = await call('acme', 'dashboard=ops');
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({ 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' });
    expect(Object.keys(JSON.parse(response.body))).toEqual(['jwt', 'expiresAt', 'expiresIn', 'dashboard']);
  });

  it.each([
    [undefined, 401],
    [null, 401],
    ['', 401],
    [{ id: 1 }, 500],
    ['x'.repeat(600), 500],
  ])('customer %p -> %i, problem+json', async (customer, status) => {
    logger.lines.splice(0);
    const response = await call(customer);
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    // A server-side problem is logged, with its code (once a minute); a client error is not.
    if (status === 500 && customer !== null && typeof customer === 'object') {
      expect(logger.lines).toEqual([expect.stringMatching(/^error \[explo-embed\] ERR_EXPLO_CUSTOMER_INVALID \(route\)/)]);
    }
    if (status === 401) expect(logger.lines).toEqual([]);
  });

  it('a 500 never repeats the underlying error', async () => {
    const response = await route({
      method: 'GET',
      query: '',
      customer: () => {
        throw new Error('SELECT * FROM secrets');
      },
    });
    expect(response.status).toBe(500);
    expect(response.body).not.toContain('SELECT');
    expect(JSON.parse(response.body).code).toBe('ERR_EXPLO_HOOK_FAILED');
    expect(logger.lines.at(-1)).toMatch(
      /ERR_EXPLO_HOOK_FAILED \(route\): The customer hook threw or rejected; see `cause`\. \(Error at /,
    );
    expect(logger.lines.join('\n')).not.toContain('SELECT');
  });
});

describe('parseTokenQuery', () => {
  it('reads dashboard and fresh, ignores the rest', () => {
    expect(parseTokenQuery('')).toEqual({ dashboard: undefined, fresh: false });
    expect(parseTokenQuery('dashboard=ops&fresh=1&_=99')).toEqual({ dashboard: 'ops', fresh: true });
    expect(parseTokenQuery('fresh')).toEqual({ dashboard: undefined, fresh: true });
    expect(parseTokenQuery('fresh=false')).toEqual({ dashboard: undefined, fresh: false });
    expect(parseTokenQuery('dashboard=a%20b')).toEqual({ dashboard: 'a b', fresh: false });
    expect(parseTokenQuery('dashboards=x')).toEqual({ dashboard: undefined, fresh: false });
  });

  it.each(['dashboard=a&dashboard=b', 'dashboard[]=a', 'dashboard[0]=a', 'dashboard.x=a', 'fresh=yes', `x=${'a'.repeat(3000)}`])(
    'rejects %s with ERR_EXPLO_QUERY_INVALID',
    (query) => {
      expect(() => parseTokenQuery(query)).toThrow(expect.objectContaining({ code: 'ERR_EXPLO_QUERY_INVALID' }));
    },
  );
});
