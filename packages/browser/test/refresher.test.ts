import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { backoffMs, type FreshToken, leadSeconds, type RefreshError, Refresher, type TokenAnswer } from '../src/refresher.js';

const JWT = 'h..iv.ct.tag';
const ok = (expiresIn = 30): TokenAnswer => ({ status: 200, retryAfter: null, json: async () => ({ jwt: JWT, expiresIn }) });
const status = (code: number, retryAfter: string | null = null): TokenAnswer => ({
  status: code,
  retryAfter,
  json: async () => ({}),
});

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
    deliver: (t) => delivered.push(t),
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
    refresher.schedule(30); // lead: 20% = 6 s
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

  it('retries network errors and 5xx with exponential backoff until it works', async () => {
    const { refresher, request, delivered, errors } = setup([new Error('offline'), status(502), status(500), ok()]);
    void refresher.refresh();
    await jest.advanceTimersByTimeAsync(0);
    expect(errors.map((e) => [e.code, e.willRetry, e.retryIn])).toEqual([['ERR_EXPLO_NETWORK', true, 750]]);
    await jest.advanceTimersByTimeAsync(750);
    expect(request).toHaveBeenCalledTimes(2);
    expect(errors[1]).toMatchObject({ code: 'ERR_EXPLO_SERVER', status: 502, retryIn: 1500 });
    await jest.advanceTimersByTimeAsync(1500);
    expect(errors[2]).toMatchObject({ status: 500, retryIn: 3000 });
    await jest.advanceTimersByTimeAsync(3000);
    expect(request).toHaveBeenCalledTimes(4);
    expect(delivered).toHaveLength(1);
  });

  it('honours Retry-After', async () => {
    const { refresher, request, errors } = setup([status(503, '7'), ok()]);
    void refresher.refresh();
    await jest.advanceTimersByTimeAsync(0);
    expect(errors[0]?.retryIn).toBe(7000);
    await jest.advanceTimersByTimeAsync(6_999);
    expect(request).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(request).toHaveBeenCalledTimes(2);
  });

  it('caps the backoff at 60 s', () => {
    expect(backoffMs(20, 1, null)).toBe(60_000);
    expect(backoffMs(0, 0, null)).toBe(500);
    expect(backoffMs(3, 0.5, '3600')).toBe(60_000);
    expect(backoffMs(0, 0.5, 'Thu, 01 Jan 2026 00:00:10 GMT', Date.UTC(2026, 0, 1))).toBe(10_000);
  });

  it('times out a hung request and retries', async () => {
    const { refresher, request, errors, delivered } = setup(['hang', ok()]);
    void refresher.refresh();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(errors[0]).toMatchObject({ code: 'ERR_EXPLO_NETWORK', message: 'Timed out', willRetry: true });
    await jest.advanceTimersByTimeAsync(750);
    expect(request).toHaveBeenCalledTimes(2);
    expect(delivered).toHaveLength(1);
  });

  it('on 401 reports once, stops, and never asks again', async () => {
    const { refresher, request, errors } = setup([status(401)]);
    refresher.schedule(30);
    await refresher.refresh();
    expect(errors).toEqual([{ code: 'ERR_EXPLO_UNAUTHENTICATED', message: expect.any(String), status: 401, willRetry: false }]);
    await refresher.refresh();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(request).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('other 4xx stop too; 429 and 408 are retried', async () => {
    const refused = setup([status(403)]);
    await refused.refresher.refresh();
    expect(refused.errors[0]).toMatchObject({ code: 'ERR_EXPLO_REFUSED', willRetry: false });
    const limited = setup([status(429, '1'), ok()]);
    void limited.refresher.refresh();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(limited.delivered).toHaveLength(1);
  });

  it('a 200 without { jwt, expiresIn } is retried, not delivered', async () => {
    const bad: TokenAnswer = { status: 200, retryAfter: null, json: async () => ({ jwt: 42 }) };
    const { refresher, delivered, errors } = setup([bad, ok()]);
    void refresher.refresh();
    await jest.advanceTimersByTimeAsync(750);
    expect(errors[0]?.code).toBe('ERR_EXPLO_BAD_RESPONSE');
    expect(delivered).toHaveLength(1);
  });

  it('checkDue refreshes a token near or past expiry (a tab that was hidden), not a young one', async () => {
    const { refresher, request } = setup([ok(300)]);
    refresher.schedule(300);
    refresher.checkDue();
    expect(request).not.toHaveBeenCalled();
    // Timers may not fire in a hidden tab; simulate a wall-clock jump without them.
    jest.setSystemTime(Date.now() + 250_000);
    refresher.checkDue();
    await jest.advanceTimersByTimeAsync(0);
    expect(request).toHaveBeenCalledTimes(1);
  });

  it('retryNow cuts a backoff short (back online)', async () => {
    const { refresher, request } = setup([new Error('offline'), ok()]);
    void refresher.refresh();
    await jest.advanceTimersByTimeAsync(0);
    refresher.retryNow();
    await jest.advanceTimersByTimeAsync(0);
    expect(request).toHaveBeenCalledTimes(2);
  });

  it('stop() leaves no timer and no callback behind', async () => {
    const { refresher, request, delivered, errors } = setup([new Error('offline'), ok()]);
    refresher.schedule(30);
    void refresher.refresh();
    await jest.advanceTimersByTimeAsync(0);
    refresher.stop();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(jest.getTimerCount()).toBe(0);
    expect(request).toHaveBeenCalledTimes(1);
    expect(delivered).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});
