import { expect } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';

// What the browser tests read from a page instead of sleeping: conditions polled until they hold
// (the deadline only bounds a failure), and the page's clock, which moves only when a test moves it.

/**
 * Reads until the value equals `expected`, then asserts it. `timeout` (ms of real time) only bounds
 * how long a failing test waits: nothing here waits for time to pass.
 */
export async function eventually<T>(read: () => Promise<T> | T, expected: T, timeout = 15_000): Promise<void> {
  const until = Date.now() + timeout;
  let value = await read();
  while (!Object.is(value, expected) && JSON.stringify(value) !== JSON.stringify(expected) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20)); // the poll's interval, not a wait for anything
    value = await read();
  }
  expect(value).toEqual(expected);
}

/**
 * Installs Playwright's clock in every frame of the context, paused at `time`: `Date`, timers and
 * `performance` stand still until the test moves them (`context.clock.runFor`, `setSystemTime`).
 * Call it before the first page opens.
 */
export async function pauseClock(context: BrowserContext, time = Date.now()): Promise<void> {
  await context.clock.install({ time });
  await context.clock.pauseAt(time);
}

/**
 * Counts, in every frame of the context, the calls to `fetch` for a token route: the helper calls
 * `fetch` synchronously when it decides to refresh (an event, a timer that fired), so the count read
 * after that event or clock step is exact, with nothing in flight to wait for.
 */
export async function countTokenFetches(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const realFetch = window.fetch;
    const calls: string[] = [];
    Object.defineProperty(window, '__tokenFetches', { value: calls });
    window.fetch = function fetch(input: RequestInfo | URL, init?: RequestInit) {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (/\/explo\/token(?:\?|$)/.test(url)) calls.push(url);
      return realFetch.call(window, input, init);
    };
  });
}

/** The token-route fetches the page's main frame has made so far (see {@link countTokenFetches}). */
export const tokenFetches = (page: Page): Promise<number> =>
  page.evaluate(() => (window as unknown as { __tokenFetches: string[] }).__tokenFetches.length);

/**
 * Waits until this page holds `groups` of the helper's Web Locks (one per token URL), i.e. leads
 * those groups. Asked of the page itself: its lock callback has run by the time its own query
 * answers (Chromium delivers the grant and that answer in order, on one channel). Until then an embed that needs a token asks a leader over the BroadcastChannel instead,
 * and waits a second for an answer.
 */
export async function leading(page: Page, groups = 1): Promise<void> {
  await eventually(
    () =>
      page.evaluate(
        async () => (await navigator.locks.query()).held?.filter((lock) => lock.name?.startsWith('explo-embed:')).length,
      ),
    groups,
  );
}

/**
 * Counts the page's open event streams from the Explo stand-in (`/api/events`, one per embed, in any
 * frame): `expireNow()` reaches only the streams already open. Call before the page navigates.
 */
export function watchEventStreams(page: Page): () => number {
  let open = 0;
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/api/events' && response.ok()) open++;
  });
  return () => open;
}
