import { beforeEach, expect, jest } from '@jest/globals';

// What the components' jsdom tests (React, Vue, Svelte) share: tokens, a token route whose answers
// each test queues (and whose requests it reads), and Explo's side of the iframe, played by the test.

export const JWT = 'eyJhbGciOiJkaXIifQ..aXY.Y3Q.dGFn';
export const NEXT = 'eyJhbGciOiJkaXIifQ..bmV4dA.Y3Q.dGFn';

/** The token route's next answers, in order (none left: the network is down). */
export const answers: (() => Response)[] = [];
/** The URLs the page fetched. */
export const asked: string[] = [];

/** An answer of the token route. */
export const json =
  (body: unknown, status = 200) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Before each test: no answers queued, nothing asked, `fetch` played by the queue. */
export function stubTokenRoute(): void {
  beforeEach(() => {
    answers.splice(0);
    asked.splice(0);
    globalThis.fetch = jest.fn(async (url: string | URL | Request) => {
      asked.push(String(url));
      const next = answers.shift();
      if (!next) throw new TypeError('offline');
      return next();
    }) as typeof fetch;
  });
}

/** The dashboard's iframe, once there is one. */
export const iframe = () => document.querySelector<HTMLIFrameElement>('iframe[title="Explo dashboard"]');

/** What the component posts to the iframe's window from now on: [message, targetOrigin] per call. */
export function spyOnPosts(): () => unknown[][] {
  const spy = jest.spyOn(iframe()?.contentWindow as Window, 'postMessage');
  return () => spy.mock.calls as unknown[][];
}

/** A message from Explo's iframe, on Explo's origin. */
export function fromExplo(data: unknown): void {
  window.dispatchEvent(new MessageEvent('message', { data, origin: 'https://app.explo.co', source: iframe()?.contentWindow }));
}

/** Explo's `dashboardLoaded`, and what a component sends for `{ region: 'EU' }`, then `{ region: 'US', year: 2026 }`. */
export const LOADED = { dashboardId: 'emb-sales', dashboardHeight: 480, loadTime: 12 };
export const SENT_EU = [
  { event: 'updateExploDashboardVariable', detail: { varName: 'region', value: 'EU' } },
  'https://app.explo.co',
];
export const SENT_US_2026 = [
  {
    event: 'updateExploDashboardVariables',
    detail: {
      variables: [
        { varName: 'region', value: 'US' },
        { varName: 'year', value: 2026 },
      ],
    },
  },
  'https://app.explo.co',
];

/** Waits until `read` gives something (promises settle, a framework renders), calling `flush` first each time. */
export async function until<T>(read: () => T | null | undefined, flush: () => void = () => {}): Promise<T> {
  for (let i = 0; i < 50; i++) {
    flush();
    const value = read();
    if (value !== null && value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new Error('until: what the test waited for never came (50 turns of the event loop)');
}

/**
 * The load watchdog, as every component's test checks it: `console.warn` muted (the watchdog writes
 * there too) and its calls kept; `error` matches what `onError` gets from a dashboard with
 * `embedId: 'emb-sales'` that never loaded.
 */
export function watchdogExpectations() {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  return {
    warnings: () => warn.mock.calls.map((args) => args[0]),
    restore: () => warn.mockRestore(),
    error: expect.objectContaining({
      code: 'ERR_EXPLO_NOT_LOADED',
      willRetry: true,
      message: expect.stringMatching(
        /frame-src blocks https:\/\/app\.explo\.co.* Editor: https:\/\/app\.explo\.co\/embed_id\/emb-sales$/,
      ),
    }),
  };
}
