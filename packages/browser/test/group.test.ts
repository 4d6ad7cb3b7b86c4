import { BroadcastChannel as NodeBroadcastChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { FreshToken, RefreshError, TokenAnswer } from '../src/answer.js';
import { groupFor } from '../src/group.js';

// One group as one tab sees it, with another tab played by the test through a BroadcastChannel of
// the same name, and Web Locks played by a stub that grants the lock (this tab leads) or never does
// (another tab holds it).
const JWT = 'h..iv.ct.tag';
const ok = (jwt = JWT, expiresIn = 300): TokenAnswer => ({
  status: 200,
  redirected: false,
  headers: new Headers({ 'content-type': 'application/json' }),
  json: async () => ({ jwt, expiresIn }),
});
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const open: { close(): void }[] = [];
let keys = 0;

function tab(leads: boolean) {
  const key = `https://app.test/explo/token?fresh=1&n=${keys++}`;
  const held: (() => void)[] = [];
  Object.defineProperty(globalThis, 'navigator', {
    configurable: true,
    value: {
      locks: {
        request: (_name: string, _options: unknown, granted: () => Promise<void>) => {
          if (leads) return granted();
          return new Promise<void>((resolve) => held.push(resolve));
        },
      },
    },
  });
  const request = jest.fn(async () => ok());
  const group = groupFor(key, { request, now: Date.now, random: () => 0.5, timeoutMs: 5_000 });
  const delivered: FreshToken[] = [];
  const errors: RefreshError[] = [];
  const leave = group.join({ deliver: (t) => delivered.push(t), error: (e) => errors.push(e) });
  const other = new NodeBroadcastChannel(`explo-embed:${key}`);
  const heard: { t: string; token?: FreshToken; expiring?: string }[] = [];
  other.onmessage = (event) => heard.push((event as { data: (typeof heard)[number] }).data);
  open.push({ close: leave }, other, {
    close: () => {
      for (const release of held) release();
    },
  });
  return { group, request, delivered, errors, other, heard };
}

afterEach(() => {
  for (const item of open.splice(0)) item.close();
  Reflect.deleteProperty(globalThis, 'navigator');
});

describe('a group of embeds across tabs', () => {
  it('a follower asks the leader, and takes the token it broadcasts without a request of its own', async () => {
    const { group, request, delivered, other, heard } = tab(false);
    other.onmessage = (event) => {
      const data = (event as { data: unknown }).data as { t: string };
      heard.push(data);
      if (data.t === 'need') {
        other.postMessage({ t: 'ack' });
        other.postMessage({ t: 'token', token: { jwt: 'from.the.leader.tab.x', expiresIn: 300 } });
      }
    };
    group.need();
    await settle(1_500);
    expect(heard).toEqual([{ t: 'need' }]);
    expect(request).not.toHaveBeenCalled();
    expect(delivered.map((t) => t.jwt)).toEqual(['from.the.leader.tab.x']);
    expect(group.refresher.remaining()).toBeGreaterThan(298_000);
  });

  it('a follower whose leader does not answer (a frozen tab) fetches for itself after a second', async () => {
    const { group, request, delivered, heard } = tab(false);
    group.need();
    await settle(900);
    expect(request).not.toHaveBeenCalled();
    await settle(400);
    expect(request).toHaveBeenCalledTimes(1);
    expect(delivered).toHaveLength(1);
    // ...and hands what it fetched to the other tabs.
    expect(heard.map((m) => m.t)).toEqual(['need', 'token']);
  });

  it('the leader answers a need: a fresh fetch for the token that is expiring, the newer token otherwise', async () => {
    const { group, request, other, heard } = tab(true);
    await settle(10);
    other.postMessage({ t: 'need' });
    await settle(50);
    expect(request).toHaveBeenCalledTimes(1);
    expect(heard.map((m) => m.t)).toEqual(['ack', 'token']);
    // A tab that missed that token gets it again, without a request.
    other.postMessage({ t: 'need', expiring: 'an.older.token.x.y' });
    await settle(50);
    expect(request).toHaveBeenCalledTimes(1);
    expect(heard.map((m) => m.t)).toEqual(['ack', 'token', 'ack', 'token']);
    expect(heard[3]?.token?.jwt).toBe(JWT);
    // A tab whose token is this one gets a fresh one.
    other.postMessage({ t: 'need', expiring: JWT });
    await settle(50);
    expect(request).toHaveBeenCalledTimes(2);
    expect(group.refresher.state).toBe('active');
  });

  it('an ending in one tab ends every tab; a token from a tab that restarted revives them', async () => {
    const { group, errors, delivered, other } = tab(false);
    other.postMessage({
      t: 'end',
      error: { code: 'ERR_EXPLO_UNAUTHENTICATED', message: 'Session ended', status: 401, willRetry: false },
    });
    await settle(50);
    expect(group.refresher.state).toBe('ended');
    expect(errors.map((e) => e.code)).toEqual(['ERR_EXPLO_UNAUTHENTICATED']);
    other.postMessage({ t: 'token', token: { jwt: 'after.login.again.x.y', expiresIn: 300 } });
    await settle(50);
    expect(group.refresher.state).toBe('active');
    expect(delivered.map((t) => t.jwt)).toEqual(['after.login.again.x.y']);
  });
});
