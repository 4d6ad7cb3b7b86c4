import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { backoffMs, type FreshToken, leadSeconds, type RefreshError, Refresher, type TokenAnswer } from '../src/refresher.js';

const JWT = 'h..iv.ct.tag';
const answer = (code: number, body: unknown, headers: Record<string, string> = {}, redirected = false): TokenAnswer => ({
  status: code,
  redirected,
  headers: new Headers(headers),
  json: async () => body,
});
const ok = (expiresIn = 30): TokenAnswer =>
  answer(200, { jwt: JWT, expiresIn }, { 'content-type': 'application/json; charset=utf-8' });
const status = (code: number, retryAfter: string | null = null): TokenAnswer =>
  answer(code, {}, retryAfter === null ? {} : { 'retry-after': retryAfter });

const tok = (expiresIn: number): FreshToken => ({ jwt: JWT, expiresIn });

function setup(answers: (TokenAnswer | Error | 'hang')[], refreshBefore?: number) {
  const delivered: FreshToken[] = [];
  const errors: RefreshError[] = [];
  const request = jest.fn(async (signal: AbortSignal) => {
    const next = answers.shift() ?? ok();
    if (next === 'hang') {
      return new Promise<TokenAnswer>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    }
    if (next instanceof Error) throw next;
    return next;
  });
  const refresher = new Refresher({
    request,
    fetched: (t) => delivered.push(t),
    onError: (e) => errors.push(e),
    now: Date.now,
    random: () => 0.5,
    timeoutMs: 5_000,
    refreshBefore,
  });
  return { refresher, request, delivered, errors };
}

beforeEach(() => {
  jest.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('Refresher', () => {
  it('sends one request however many refreshes are asked for at once', async () => {
    const { refresher, request, delivered } = setup([ok()]);
    await Promise.all(Array.from({ length: 20 }, () => refresher.refresh()));
    expect(request).toHaveBeenCalledTimes(1);
    expect(delivered).toHaveLength(1);
  });

  it('refreshes proactively before expiry, from the relative expiresIn', async () => {
    const { refresher, request } = setup([ok(30), ok(30)]);
    refresher.adopt(tok(30)); // lead: 20% = 6 s, counted from receipt
    await jest.advanceTimersByTimeAsync(23_999);
    expect(request).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(request).toHaveBeenCalledTimes(1);
    // The new token is scheduled in turn.
    await jest.advanceTimersByTimeAsync(24_000);
    expect(request).toHaveBeenCalledTimes(2);
  });

  it('keeps the lead between 5 s and 60 s, and below half the lifetime', () => {
    expect(leadSeconds(86_400)).toBe(60);
    expect(leadSeconds(30)).toBe(6);
    expect(leadSeconds(12)).toBe(5);
    expect(leadSeconds(6)).toBe(3);
    expect(leadSeconds(600, 120)).toBe(120);
  });

  it('retries network errors and 5xx with exponential backoff from 1 s until it works', async () => {
    const { refresher, request, delivered, errors } = setup([new Error('offline'), status(502), status(500), ok()]);
    void refresher.refresh();
    await jest.advanceTimersByTimeAsync(0);
    expect(errors.map((e) => [e.code, e.willRetry, e.retryIn])).toEqual([['ERR_EXPLO_NETWORK', true, 1250]]);
    await jest.advanceTimersByTimeAsync(1250);
    expect(request).toHaveBeenCalledTimes(2);
    expect(errors[1]).toMatchObject({ code: 'ERR_EXPLO_SERVER', status: 502, retryIn: 2500 });
    await jest.advanceTimersByTimeAsync(2500);
    expect(errors[2]).toMatchObject({ status: 500, retryIn: 5000 });
    await jest.advanceTimersByTimeAsync(5000);
    expect(request).toHaveBeenCalledTimes(4);
    expect(delivered).toHaveLength(1);
    expect(refresher.state).toBe('active');
  });

  it('carries the token route’s own code (its problem+json), so the page can say why it keeps failing', async () => {
    const problem = (code: number, body: unknown) => answer(code, body, { 'content-type': 'application/problem+json' });
    const { refresher, errors } = setup([
      problem(503, { code: 'ERR_EXPLO_SECRET_UNAVAILABLE', status: 503 }),
      problem(503, { code: '<script>', status: 503 }),
      ok(),
    ]);
    void refresher.refresh();
    await jest.advanceTimersByTimeAsync(0);
    expect(errors[0]).toMatchObject({
      code: 'ERR_EXPLO_SERVER',
      serverCode: 'ERR_EXPLO_SECRET_UNAVAILABLE',
      message: 'HTTP 503 (ERR_EXPLO_SECRET_UNAVAILABLE)',
    });
    await jest.advanceTimersByTimeAsync(5_000);
    // Only this library's codes are taken from the answer.
    expect(errors[1]).toMatchObject({ code: 'ERR_EXPLO_SERVER', message: 'HTTP 503' });
    expect(errors[1]?.serverCode).toBeUndefined();
  });

  it('a longer Retry-After is honoured; Retry-After: 0 never makes a tight loop (503 storm)', async () => {
    const { refresher, request, errors } = setup([status(503, '7'), ok()]);
    void refresher.refresh();
    await jest.advanceTimersByTimeAsync(0);
    expect(errors[0]?.retryIn).toBe(7000);
    await jest.advanceTimersByTimeAsync(6_999);
    expect(request).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(request).toHaveBeenCalledTimes(2);

    const storm = setup(Array.from({ length: 100 }, () => status(503, '0')));
    void storm.refresher.refresh();
    await jest.advanceTimersByTimeAsync(6_000);
    // 1.25 s, then 2.5 s, then 5 s: three requests in six seconds, not thousands.
    expect(storm.request).toHaveBeenCalledTimes(3);
    expect(storm.errors.every((e) => (e.retryIn ?? 0) >= 1000)).toBe(true);
  });

  it('backs off from at least 1 s to at most 60 s, with jitter, whatever Retry-After says', () => {
    expect(backoffMs(20, 1, null)).toBe(60_000);
    expect(backoffMs(0, 0, null)).toBe(1_000);
    expect(backoffMs(0, 1, null)).toBe(1_500);
    expect(backoffMs(0, 0, '0')).toBe(1_000);
    expect(backoffMs(0, 0, 'soon')).toBe(1_000);
    expect(backoffMs(3, 0.5, '3600')).toBe(60_000);
    expect(backoffMs(0, 0.5, 'Thu, 01 Jan 2026 00:00:10 GMT', Date.UTC(2026, 0, 1))).toBe(10_000);
  });

  it('times out a hung request and retries', async () => {
    const { refresher, request, errors, delivered } = setup(['hang', ok()]);
    void refresher.refresh();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(errors[0]).toMatchObject({ code: 'ERR_EXPLO_NETWORK', message: 'Timed out', willRetry: true });
    await jest.advanceTimersByTimeAsync(1250);
    expect(request).toHaveBeenCalledTimes(2);
    expect(delivered).toHaveLength(1);
  });

  it.each([
    ['401', status(401), 'ERR_EXPLO_UNAUTHENTICATED'],
    ['403', status(403), 'ERR_EXPLO_FORBIDDEN'],
    ['404', status(404), 'ERR_EXPLO_REFUSED'],
    ['a redirect (to the login page)', answer(200, {}, { 'content-type': 'text/html' }, true), 'ERR_EXPLO_REDIRECTED'],
    [
      'an HTML 200 (a login page in place of the route)',
      answer(200, null, { 'content-type': 'text/html' }),
      'ERR_EXPLO_BAD_RESPONSE',
    ],
    [
      'JSON without { jwt, expiresIn }',
      answer(200, { jwt: 42 }, { 'content-type': 'application/json' }),
      'ERR_EXPLO_BAD_RESPONSE',
    ],
    [
      'a "jwt" that is not a compact JWE (markup in it)',
      answer(200, { jwt: 'a.b.c.d.<script>', expiresIn: 60 }, { 'content-type': 'application/json' }),
      'ERR_EXPLO_BAD_RESPONSE',
    ],
    [
      'an expiresIn past any lifetime a server grants (7 days)',
      answer(200, { jwt: 'aGVhZGVy..aXY.Y3Q.dGFn', expiresIn: 604_801 }, { 'content-type': 'application/json' }),
      'ERR_EXPLO_BAD_RESPONSE',
    ],
  ])('%s ends refreshing: reported once, state ended, nothing more until restart()', async (_name, first, code) => {
    const { refresher, request, errors, delivered } = setup([first, ok()]);
    refresher.adopt(tok(30));
    await refresher.refresh();
    expect(errors).toEqual([expect.objectContaining({ code, willRetry: false })]);
    expect(refresher.state).toBe('ended');
    await refresher.refresh();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(request).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
    await refresher.restart();
    expect(refresher.state).toBe('active');
    expect(request).toHaveBeenCalledTimes(2);
    expect(delivered).toHaveLength(1);
  });

  it('429 and 408 are retried', async () => {
    const limited = setup([status(429, '1'), status(408), ok()]);
    void limited.refresher.refresh();
    await jest.advanceTimersByTimeAsync(1_250 + 2_500);
    expect(limited.delivered).toHaveLength(1);
  });

  it('tokens that are due again at once back off instead of looping', async () => {
    const { refresher, request } = setup(Array.from({ length: 50 }, () => ok(0)));
    void refresher.refresh();
    await jest.advanceTimersByTimeAsync(10_000);
    // 0 s tokens: next fetches after 1.25 s, 2.5 s, 5 s...: 4 requests in 10 s.
    expect(request).toHaveBeenCalledTimes(4);
  });

  it('schedules from receipt by the wall clock: a tab that slept refreshes when it wakes', async () => {
    const { refresher, request } = setup([ok(300)]);
    refresher.adopt(tok(300));
    refresher.checkDue();
    expect(request).not.toHaveBeenCalled();
    expect(refresher.remaining()).toBe(300_000);
    // Timers do not run while a laptop sleeps; the wall clock does.
    jest.setSystemTime(Date.now() + 250_000);
    refresher.checkDue();
    await jest.advanceTimersByTimeAsync(0);
    expect(request).toHaveBeenCalledTimes(1);
  });

  it('a token handed over (by another tab) during a backoff wait ends the wait without a request', async () => {
    const { refresher, request } = setup([new Error('offline'), ok()]);
    void refresher.refresh();
    await jest.advanceTimersByTimeAsync(0);
    refresher.adopt(tok(300));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(request).toHaveBeenCalledTimes(1);
  });

  it('when the token falls due it asks its `due` hook (a group) instead of fetching', async () => {
    const due = jest.fn();
    const refresher = new Refresher({
      request: async () => ok(),
      fetched: () => {},
      onError: () => {},
      now: Date.now,
      random: () => 0.5,
      timeoutMs: 5_000,
      due,
    });
    refresher.adopt(tok(30));
    await jest.advanceTimersByTimeAsync(24_000);
    expect(due).toHaveBeenCalledTimes(1);
  });

  it('retryNow cuts a backoff short (back online)', async () => {
    const { refresher, request } = setup([new Error('offline'), ok()]);
    void refresher.refresh();
    await jest.advanceTimersByTimeAsync(0);
    refresher.retryNow();
    await jest.advanceTimersByTimeAsync(0);
    expect(request).toHaveBeenCalledTimes(2);
  });

  it('halt("stopped") leaves no timer and no callback behind', async () => {
    const { refresher, request, delivered, errors } = setup([new Error('offline'), ok()]);
    refresher.adopt(tok(30));
    void refresher.refresh();
    await jest.advanceTimersByTimeAsync(0);
    refresher.halt('stopped');
    await jest.advanceTimersByTimeAsync(120_000);
    expect(jest.getTimerCount()).toBe(0);
    expect(request).toHaveBeenCalledTimes(1);
    expect(delivered).toEqual([]);
    expect(errors).toHaveLength(1);
    await refresher.restart();
    expect(refresher.state).toBe('stopped');
    expect(request).toHaveBeenCalledTimes(1);
  });
});
