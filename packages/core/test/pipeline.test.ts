import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it, jest } from '@jest/globals';
import { createExploAdapter } from '../src/adapter.js';
import { pageLocals } from '../src/adapter-kit/page.js';
import * as errors from '../src/errors/errors.js';
import { createExploEmbed, DIAGNOSTICS_CHANNELS, type ExploEmbedOptions, type ExploErrorContext } from '../src/index.js';
import { STATUS_BY_CODE } from '../src/route/http.js';
import { decryptByHand, eventually, KEY, manualClock, routeFor } from './fixtures.js';

const dashboards = { sales: 'emb-sales', ops: 'emb-ops' };

/** Runs the route with hooks that log the order they are called in. */
function traced(extra: Partial<ExploEmbedOptions> = {}, allow = true) {
  const calls: string[] = [];
  const errorsSeen: [string, ExploErrorContext][] = [];
  const { route } = routeFor({
    secret: KEY,
    dashboards,
    authorize: (customerId, dashboard) => {
      calls.push(`authorize ${customerId} ${dashboard}`);
      return allow;
    },
    claims: ({ customerId, dashboard, embedId }) => {
      calls.push(`claims ${customerId} ${dashboard} ${embedId}`);
      return {};
    },
    onMint: ({ customerId }) => calls.push(`minted ${customerId}`),
    onError: (error, context) => errorsSeen.push([error.code, context]),
    ...extra,
  });
  const ask = (customer: unknown, query = '') =>
    route({
      method: 'GET',
      query,
      customer: () => {
        calls.push('customer');
        return customer as string;
      },
    });
  return { ask, calls, errorsSeen };
}

describe('the issuer: customer -> allowlist -> authorize -> claims -> token -> report, each once', () => {
  it('runs each step once, in order, for an allowed request', async () => {
    const { ask, calls } = traced();
    expect((await ask('acme', 'dashboard=ops')).status).toBe(200);
    expect(calls).toEqual(['customer', 'authorize acme ops', 'claims acme ops emb-ops', 'minted acme']);
  });

  it('stops at the first refusal: no authorize for an unknown dashboard, no claims when refused', async () => {
    const unknown = traced();
    expect((await unknown.ask('acme', 'dashboard=payroll')).status).toBe(404);
    expect(unknown.calls).toEqual(['customer']);
    const refused = traced({}, false);
    expect((await refused.ask('acme')).status).toBe(403);
    expect(refused.calls).toEqual(['customer', 'authorize acme sales']);
    const nobody = traced();
    expect((await nobody.ask(undefined)).status).toBe(401);
    expect(nobody.calls).toEqual(['customer']);
  });

  it('reports each failure once to onError, with its phase and what is known of the request', async () => {
    const { ask, errorsSeen } = traced({}, false);
    await ask('acme', 'dashboard=ops');
    await ask('acme', 'fresh=maybe');
    expect(errorsSeen).toEqual([
      ['ERR_EXPLO_FORBIDDEN', { phase: 'route', customerId: 'acme', dashboard: 'ops' }],
      ['ERR_EXPLO_QUERY_INVALID', { phase: 'route' }],
    ]);
  });

  it('a page with nobody logged in gets nothing and reports nothing; a page failure is reported once', async () => {
    const seen: string[] = [];
    const adapter = createExploAdapter<string | undefined>(
      { secret: KEY, dashboards, onError: (error, { phase }) => seen.push(`${phase} ${error.code}`), authorize: () => false },
      (request) => request,
    );
    expect(await adapter.page(undefined, { dashboard: undefined })).toEqual({});
    const refused = await adapter.page('acme', { dashboard: undefined });
    expect(refused.error?.code).toBe('ERR_EXPLO_FORBIDDEN');
    expect(seen).toEqual(['page ERR_EXPLO_FORBIDDEN']);
  });

  it('an attach filter that throws leaves the page without a token, and is reported and logged, not hidden', async () => {
    const seen: [string, string | undefined, unknown][] = [];
    const logged: string[] = [];
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const adapter = createExploAdapter<string>(
      {
        secret: KEY,
        dashboards,
        onError: (error, { phase }) => seen.push([phase, (error as errors.ExploHookError).hook, error.cause]),
        logger: { error: (line) => logged.push(line), warn: (line) => logged.push(line) },
        attach: () => {
          throw bug;
        },
      },
      (request) => request,
    );
    const locals: Record<string, unknown> = {};
    const headers: string[] = [];
    const target = { locals, setHeader: (name: string) => void headers.push(name) };
    expect(await adapter.handle('acme', { method: 'GET', url: '/page', headers: {} }, target)).toBeUndefined();
    expect([locals, headers]).toEqual([{}, []]);
    expect(seen).toEqual([['page', 'attach', bug]]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/ERR_EXPLO_HOOK_FAILED \(page\): The attach hook threw.*pages get no token/);
    // The filter's own message may hold anything: it reaches onError as the cause, never the log.
    expect(logged[0]).not.toContain('reading');
  });

  it('mint() is the trusted server path: no authorize hook, same allowlist and validation', async () => {
    const authorize = jest.fn(() => false);
    const embed = createExploEmbed({ secret: KEY, dashboards, authorize });
    const token = await embed.mint({ customerId: 'acme', dashboard: 'ops' });
    expect(decryptByHand(token.jwt, KEY.keyValue).payload).toMatchObject({ cst: 'acme', dsh: 'emb-ops' });
    expect(authorize).not.toHaveBeenCalled();
  });

  it('publishes mints and handled errors on diagnostics channels, as onMint and onError see them', async () => {
    const seen: string[] = [];
    const onMint = (message: unknown) => seen.push(`mint ${(message as { event: { customerId: string } }).event.customerId}`);
    const onError = (message: unknown) => seen.push(`error ${(message as { error: { code: string } }).error.code}`);
    subscribe(DIAGNOSTICS_CHANNELS.mint, onMint);
    subscribe(DIAGNOSTICS_CHANNELS.error, onError);
    try {
      const { ask } = traced({}, true);
      await ask('diag');
      await ask(undefined);
    } finally {
      unsubscribe(DIAGNOSTICS_CHANNELS.mint, onMint);
      unsubscribe(DIAGNOSTICS_CHANNELS.error, onError);
    }
    expect(seen).toEqual(['mint diag', 'error ERR_EXPLO_UNAUTHENTICATED']);
  });

  it('hooks that throw cannot break minting or answering', async () => {
    const { route } = routeFor({
      secret: KEY,
      dashboards,
      onMint: () => {
        throw new Error('metrics down');
      },
      onError: () => {
        throw new Error('logger down');
      },
    });
    expect((await route({ method: 'GET', query: '', customer: () => 'acme' })).status).toBe(200);
    expect((await route({ method: 'GET', query: '', customer: () => undefined })).status).toBe(401);
  });
});

describe('token reuse is keyed by the key itself', () => {
  it('a corrected key value under the same key id never serves tokens of the old value', async () => {
    const clock = manualClock();
    let keyValue = 'first-key-value-of-thirty-two-by';
    const embed = createExploEmbed({
      secret: () => ({ keyId: KEY.keyId, keyValue }),
      dashboards,
      secretCache: { ttl: 60 },
      clock: clock.now,
    });
    const before = await embed.mint({ customerId: 'c1' });
    keyValue = 'corrected-key-value-thirty-two-b';
    clock.advance(61_000);
    // Same key id throughout: only the key itself tells the tokens apart.
    const after = await eventually(
      () => embed.mint({ customerId: 'c1' }),
      (token) => token.jwt !== before.jwt,
    );
    expect(after.jwt).not.toBe(before.jwt);
    expect(decryptByHand(after.jwt, keyValue).payload.cst).toBe('c1');
  });
});

describe('options belong to one layer each', () => {
  it('the core refuses adapter options: they are split off by the adapter layer', () => {
    const withCustomer = { secret: KEY, dashboards, customer: () => 'acme' } as unknown as ExploEmbedOptions;
    expect(() => createExploEmbed(withCustomer)).toThrow(expect.objectContaining({ option: 'customer' }));
    expect(() =>
      createExploAdapter({ secret: KEY, dashboards, customer: () => 'acme', route: '/t' }, () => undefined),
    ).not.toThrow();
  });

  it('never mutates the options it is given', () => {
    const options = Object.freeze({
      secret: Object.freeze({ ...KEY }),
      dashboards: Object.freeze({ ...dashboards }),
      route: '/t',
    });
    expect(() => createExploAdapter(options, () => undefined)).not.toThrow();
  });
});

describe('error codes', () => {
  const classes = Object.values(errors).filter(
    (value): value is typeof value & { code: string } => typeof value === 'function' && 'code' in value,
  );

  it('each class has its own code, and every code has an HTTP status', () => {
    const codes = classes.map((errorClass) => errorClass.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.sort()).toEqual(Object.keys(STATUS_BY_CODE).sort());
  });

  it('instances carry their class code; subclasses stay instances of their family', () => {
    const length = new errors.ExploKeyLengthError('secret.keyValue', 33, 'whitespace');
    expect(length.code).toBe('ERR_EXPLO_KEY_LENGTH');
    expect(length).toBeInstanceOf(errors.ExploSecretError);
    expect(new errors.ExploJwtDecryptionError('x').code).toBe('ERR_EXPLO_JWT_DECRYPTION_FAILED');
    expect(new errors.ExploJwtDecryptionError('x')).toBeInstanceOf(errors.ExploJwtInvalidError);
    expect(new errors.ExploQueryError('x').name).toBe('ExploQueryError');
  });
});

describe('pageLocals: the one mapping to template variables', () => {
  it('maps a token, an error, or nothing', () => {
    const token = { jwt: 'j', expiresAt: new Date(0), expiresIn: 1, dashboard: 'sales' };
    const error = new errors.ExploForbiddenError('no');
    expect(pageLocals({ token })).toEqual({ exploJwt: 'j', exploToken: token });
    expect(pageLocals({ error })).toEqual({ exploError: error });
    expect(pageLocals({})).toEqual({});
  });
});
