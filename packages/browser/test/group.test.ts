import { BroadcastChannel as NodeBroadcastChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { FreshToken, RefreshError, TokenAnswer } from '../src/answer.js';
import { groupFor } from '../src/group.js';

// One group as one tab sees it, with another tab played by the test through a BroadcastChannel of
// the same name, and Web Locks played by a stub that grants the lock (this tab leads) or never does
// (another tab holds it). Timers and Date are fake: time passes only when a test advances it. The
// channel's messages are real, and awaited as they arrive.
const JWT = 'h..iv.ct.tag';
const ok = (jwt = JWT, expiresIn = 300): TokenAnswer => ({
  status: 200,
  redirected: false,
  headers: new Headers({ 'content-type': 'application/json' }),
  json: async () => ({ jwt, expiresIn }),
});

/** Turns of the event loop (where the channel's messages arrive) until `done()` holds; fails after 10 000. */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; !done(); turn++) {
    if (turn === 10_000) throw new Error(`Still not so after ${turn} turns of the event loop: ${done}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
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

beforeEach(() => {
  jest.useFakeTimers({ now: Date.UTC(2026, 0, 1), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
});
afterEach(() => {
  for (const item of open.splice(0)) item.close();
  Reflect.deleteProperty(globalThis, 'navigator');
  jest.useRealTimers();
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
    await until(() => delivered.length === 1);
    expect(group.refresher.remaining()).toBe(300_000);
    // Well past its wait for the leader (1 s; 6 s once acknowledged: the request timeout and 1 s): no fetch of its own.
    await jest.advanceTimersByTimeAsync(10_000);
    expect(request).not.toHaveBeenCalled();
    expect(heard).toEqual([{ t: 'need' }]);
    expect(delivered.map((t) => t.jwt)).toEqual(['from.the.leader.tab.x']);
  });

  it('a follower whose leader does not answer (a frozen tab) fetches for itself after a second', async () => {
    const { group, request, delivered, heard } = tab(false);
    group.need();
    await until(() => heard.length === 1);
    await jest.advanceTimersByTimeAsync(999);
    expect(request).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(request).toHaveBeenCalledTimes(1);
    await until(() => heard.length === 2);
    expect(delivered).toHaveLength(1);
    // ...and hands what it fetched to the other tabs.
    expect(heard.map((m) => m.t)).toEqual(['need', 'token']);
  });

  it('the leader answers a need: a fresh fetch for the token that is expiring, the newer token otherwise', async () => {
    const { group, request, other, heard } = tab(true);
    other.postMessage({ t: 'need' });
    await until(() => heard.length === 2);
    expect(request).toHaveBeenCalledTimes(1);
    expect(heard.map((m) => m.t)).toEqual(['ack', 'token']);
    // A tab that missed that token gets it again, without a request.
    other.postMessage({ t: 'need', expiring: 'an.older.token.x.y' });
    await until(() => heard.length === 4);
    expect(request).toHaveBeenCalledTimes(1);
    expect(heard.map((m) => m.t)).toEqual(['ack', 'token', 'ack', 'token']);
    expect(heard[3]?.token?.jwt).toBe(JWT);
    // A tab whose token is this one gets a fresh one.
    other.postMessage({ t: 'need', expiring: JWT });
    await until(() => heard.length === 6);
    expect(request).toHaveBeenCalledTimes(2);
    expect(group.refresher.state).toBe('active');
  });

  it("another tab's ending is checked with one request of this tab's own, and ends it only if that answer does", async () => {
    const { group, request, errors, delivered, other, heard } = tab(false);
    request.mockResolvedValueOnce({ ...ok(), status: 401 });
    other.postMessage({ t: 'end', error: { code: 'ERR_EXPLO_UNAUTHENTICATED', message: 'Session ended', willRetry: false } });
    await until(() => errors.length === 1);
    expect(request).toHaveBeenCalledTimes(1);
    expect(group.refresher.state).toBe('ended');
    expect(errors.map((e) => e.code)).toEqual(['ERR_EXPLO_UNAUTHENTICATED']);
    // ...and tells the other tabs, which check in their turn.
    await until(() => heard.length === 1);
    expect(heard.map((m) => m.t)).toEqual(['end']);
    // A token from a tab that restarted (its user logged in again) revives it.
    other.postMessage({ t: 'token', token: { jwt: 'after.login.again.x.y', expiresIn: 300 } });
    await until(() => delivered.length === 1);
    expect(group.refresher.state).toBe('active');
    expect(delivered.map((t) => t.jwt)).toEqual(['after.login.again.x.y']);
  });

  it('an ending its own check does not confirm ends nothing, and endings in a loop cost one request a minute', async () => {
    const { group, request, errors, delivered, other } = tab(false);
    const end = { t: 'end', error: { code: 'ERR_EXPLO_UNAUTHENTICATED', message: 'Session ended', willRetry: false } };
    other.postMessage(end);
    await until(() => delivered.length === 1);
    for (let i = 0; i < 5; i++) other.postMessage(end);
    // The channel keeps order: once this token is taken, every ending before it has been heard.
    other.postMessage({ t: 'token', token: { jwt: 'marks.the.end.of.them', expiresIn: 300 } });
    await until(() => delivered.length === 2);
    expect(request).toHaveBeenCalledTimes(1);
    expect(group.refresher.state).toBe('active');
    expect(errors).toEqual([]);
    await jest.advanceTimersByTimeAsync(59_999);
    other.postMessage(end);
    other.postMessage({ t: 'token', token: { jwt: 'marks.the.end.again.x', expiresIn: 300 } });
    await until(() => delivered.length === 3);
    expect(request).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    other.postMessage(end);
    await until(() => request.mock.calls.length === 2);
    await until(() => delivered.length === 4);
    expect(group.refresher.state).toBe('active');
    expect(errors).toEqual([]);
  });

  it('a malformed token from another tab never reaches an embed, nor revives an ended tab', async () => {
    const { group, request, delivered, other } = tab(false);
    const good = { jwt: 'h..iv.ct.tag', expiresIn: 300 };
    const bad = [
      null,
      'token',
      { t: 'token' },
      { t: 'token', token: null },
      { t: 'token', token: { ...good, jwt: 'not a token' } },
      { t: 'token', token: { ...good, jwt: 'four.segments.only.x' } },
      { t: 'token', token: { ...good, jwt: 'six.segments.are.too.many.x' } },
      { t: 'token', token: { ...good, jwt: '<img src=x>.b.c.d.e' } },
      { t: 'token', token: { ...good, jwt: ['h..iv.ct.tag'] } },
      { t: 'token', token: { ...good, jwt: 42 } },
      { t: 'token', token: { jwt: good.jwt } },
      { t: 'token', token: { ...good, expiresIn: -1 } },
      { t: 'token', token: { ...good, expiresIn: Number.NaN } },
      { t: 'token', token: { ...good, expiresIn: Number.POSITIVE_INFINITY } },
      { t: 'token', token: { ...good, expiresIn: 604_801 } },
      { t: 'token', token: { ...good, expiresIn: '300' } },
      { t: 'token', token: { ...good, dashboard: 7 } },
    ];
    // The bad ones, then a good one: the channel keeps order, so once the good one is in, all were heard.
    const send = async (messages: unknown[]) => {
      const before = delivered.length;
      for (const message of messages) other.postMessage(message);
      other.postMessage({ t: 'token', token: { ...good, jwt: `good.${before}.x.y.z`, dashboard: 'sales' } });
      await until(() => delivered.some((t) => t.jwt === `good.${before}.x.y.z`));
    };
    await send(bad);
    expect(delivered).toEqual([{ jwt: 'good.0.x.y.z', expiresIn: 300, dashboard: 'sales' }]);
    expect(group.refresher.remaining()).toBe(300_000);
    // An ended tab: an ending after the bad ones would make it check, had one of them revived it.
    group.refresher.halt('ended');
    await send([...bad, { t: 'end', error: { code: 'ERR_EXPLO_UNAUTHENTICATED', message: 'Session ended', willRetry: false } }]);
    expect(request).not.toHaveBeenCalled();
    expect(delivered.map((t) => t.jwt)).toEqual(['good.0.x.y.z', 'good.1.x.y.z']);
    expect(group.refresher.state).toBe('active');
  });

  it('acknowledgements posted in a loop extend a follower’s wait once: it fetches for itself 6 s after the first', async () => {
    // The channel is played synchronously here, so each acknowledgement lands at an exact time.
    const channels: { onmessage: ((event: { data: unknown }) => void) | null }[] = [];
    const real = globalThis.BroadcastChannel;
    globalThis.BroadcastChannel = class {
      onmessage = null;
      constructor() {
        channels.push(this);
      }
      postMessage() {}
      close() {}
    } as unknown as typeof BroadcastChannel;
    let follower: ReturnType<typeof tab>;
    try {
      follower = tab(false);
    } finally {
      globalThis.BroadcastChannel = real;
    }
    const { group, request } = follower;
    const ack = () => channels[0]?.onmessage?.({ data: { t: 'ack' } });
    group.need();
    ack();
    await jest.advanceTimersByTimeAsync(5_000);
    ack(); // a second one, from a page posting them in a loop: ignored
    await jest.advanceTimersByTimeAsync(999);
    expect(request).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(request).toHaveBeenCalledTimes(1);
  });

  it('the leader ignores a malformed need', async () => {
    const { request, other, heard } = tab(true);
    for (const expiring of [{}, 42, ['h..iv.ct.tag'], null]) other.postMessage({ t: 'need', expiring });
    other.postMessage({ t: 'need' });
    await until(() => heard.some((m) => m.t === 'token'));
    expect(heard.map((m) => m.t)).toEqual(['ack', 'token']);
    expect(request).toHaveBeenCalledTimes(1);
  });
});
