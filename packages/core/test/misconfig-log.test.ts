import { describe, expect, it, jest } from '@jest/globals';
import { createExploEmbed, type ExploEmbedOptions } from '../src/index.js';
import { KEY, manualClock, routeFor } from './fixtures.js';

const dashboards = { sales: 'emb-sales' };

function withLog(extra: Partial<ExploEmbedOptions>) {
  const lines: string[] = [];
  const clock = manualClock();
  const { route } = routeFor({
    dashboards,
    clock: clock.now,
    logger: { warn: (line) => lines.push(`warn ${line}`), error: (line) => lines.push(`error ${line}`) },
    ...extra,
  });
  const ask = () => route({ method: 'GET', query: '', customer: () => 'acme' });
  return { lines, clock, ask };
}

describe('the misconfiguration log', () => {
  it('logs a bad secret from the provider once per minute, with code and fix, never the value', async () => {
    const bad = { keyId: KEY.keyId, keyValue: `${KEY.keyValue} ` };
    const { lines, clock, ask } = withLog({ secret: () => bad, secretCache: { retryAfter: '5s' } });
    for (let i = 0; i < 5; i++) expect((await ask()).status).toBe(503);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error \[explo-embed\] ERR_EXPLO_KEY_LENGTH \(secret\): .*33 bytes.*trim it\. Requests get 503/);
    expect(lines[0]).not.toContain(KEY.keyValue);
    clock.advance(59_000);
    await ask();
    expect(lines).toHaveLength(1);
    clock.advance(2_000);
    await ask();
    expect(lines).toHaveLength(2);
  });

  it('logs an unusable API token with what to check', async () => {
    const { lines, ask } = withLog({
      api: { token: 'explo-api-token-that-is-revoked-000', url: 'http://127.0.0.1:9', retries: 0 },
    });
    await ask();
    expect(lines).toEqual([expect.stringMatching(/ERR_EXPLO_API_UNAVAILABLE \(route\).*outbound HTTPS to api\.url/)]);
    expect(lines[0]).not.toContain('explo-api-token-that-is-revoked-000');
  });

  it('keeps separate causes apart: each hook that throws is logged once', async () => {
    const { lines, ask } = withLog({
      secret: KEY,
      authorize: () => {
        throw new Error('db down');
      },
    });
    await ask();
    await ask();
    expect(lines).toEqual([expect.stringMatching(/ERR_EXPLO_HOOK_FAILED \(route\): The authorize hook threw/)]);
    expect(lines[0]).not.toContain('db down');
  });

  it('a hook’s message never reaches the log, even one shaped like a stack frame (log injection)', async () => {
    const { lines, ask } = withLog({
      secret: KEY,
      authorize: () => {
        throw new Error('bad cookie\n    at \u001b[2J\r[app] INFO login ok user=admin SECRET-IN-MESSAGE:1:1');
      },
    });
    await ask();
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/SECRET-IN-MESSAGE|\u001b|\r|login ok/);
    expect(lines[0]).toMatch(/\(Error at [^\s()]+misconfig-log\.test\.ts:\d+:\d+\)/);
  });

  it('logger: false is silent; a logger that throws breaks nothing; the default is console', async () => {
    const quiet = routeFor({ secret: () => ({ keyId: 'k', keyValue: 'short' }), dashboards, logger: false });
    const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect((await quiet.route({ method: 'GET', query: '', customer: () => 'a' })).status).toBe(503);
      expect(spy).not.toHaveBeenCalled();
      const broken = routeFor({
        secret: () => ({ keyId: 'k', keyValue: 'short' }),
        dashboards,
        logger: {
          warn: () => {},
          error: () => {
            throw new Error('log sink down');
          },
        },
      });
      expect((await broken.route({ method: 'GET', query: '', customer: () => 'a' })).status).toBe(503);
      const loud = routeFor({ secret: () => ({ keyId: 'k', keyValue: 'short' }), dashboards });
      await loud.route({ method: 'GET', query: '', customer: () => 'a' });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0]?.[0])).toMatch(/ERR_EXPLO_KEY_LENGTH/);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a logger without warn and error', () => {
    expect(() => createExploEmbed({ secret: KEY, dashboards, logger: { info: () => {} } as never })).toThrow(
      expect.objectContaining({ option: 'logger' }),
    );
  });
});
