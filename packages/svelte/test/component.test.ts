/**
 * @jest-environment ./test/support/jsdom-environment.mjs
 */
import type { RefreshError } from '@explo-embed/browser';
import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createRawSnippet, flushSync, mount, unmount } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import {
  answers,
  asked,
  fromExplo,
  iframe,
  JWT,
  json,
  LOADED,
  NEXT,
  SENT_EU,
  SENT_US_2026,
  spyOnPosts,
  stubTokenRoute,
  until as untilRendered,
  watchdogExpectations,
} from '../../../test/support/embed-fixture.js';
import { type Components, compiledComponents } from './support/compiled.js';

// The component's logic in jsdom: the token route and Explo's iframe are played by the test.
const mounted: Record<string, unknown>[] = [];
let components: Components;

beforeAll(async () => {
  components = await compiledComponents('client');
});
stubTokenRoute();
afterEach(() => {
  for (const component of mounted.splice(0)) unmount(component);
  document.body.innerHTML = '';
  jest.useRealTimers();
});

/**
 * Mounts a component in a fresh element. Its props are read through a SvelteMap (reactive outside a
 * component), so `set(name, value)` changes one as a parent's state would.
 */
function show(name: keyof Components, initial: Record<string, unknown>) {
  const values = new SvelteMap(Object.entries(initial));
  const props = Object.defineProperties(
    {},
    Object.fromEntries(Object.keys(initial).map((key) => [key, { get: () => values.get(key), enumerable: true }])),
  );
  const target = document.body.appendChild(document.createElement('div'));
  mounted.push(mount(components[name], { target, props }));
  flushSync();
  return {
    target,
    set(key: string, value: unknown) {
      values.set(key, value);
      flushSync();
    },
  };
}
/** Waits until `read` gives something (tokens arrive on promises; effects run on flush). */
const until = <T>(read: () => T | null | undefined) => untilRendered(read, flushSync);
const html = (target: HTMLElement) => target.innerHTML.replace(/<!--[^>]*-->/g, '');
const paragraph = (text: string) => createRawSnippet(() => ({ render: () => `<p>${text}</p>` }));

describe('<ExploDashboard> (Svelte) in the browser', () => {
  it('without a token from the server, fetches one for its dashboard, then shows the iframe', async () => {
    answers.push(json({ jwt: JWT, expiresIn: 300, dashboard: 'ops' }));
    const onToken = jest.fn();
    const { target } = show('ExploDashboard', { dashboard: 'ops', onToken, loading: paragraph('Loading…') });
    expect(html(target)).toBe('<p>Loading…</p>');
    expect((await until(iframe)).src).toBe(`https://app.explo.co/iframe/${JWT}/production`);
    expect(asked).toEqual([`${location.origin}/explo/token?dashboard=ops`]);
    expect(onToken).toHaveBeenCalledWith(expect.objectContaining({ jwt: JWT }));
  });

  it('a first token that cannot be had yet shows the `error` snippet, and is tried again with backoff', async () => {
    jest.useFakeTimers();
    answers.push(json({ code: 'ERR_EXPLO_SECRET_UNAVAILABLE' }, 503), json({ jwt: JWT, expiresIn: 300 }));
    const error = createRawSnippet((e: () => RefreshError) => ({ render: () => `<p>Retrying (${e().code})</p>` }));
    const { target } = show('ExploDashboard', { error });
    await jest.advanceTimersByTimeAsync(0);
    flushSync();
    expect(html(target)).toBe('<p>Retrying (ERR_EXPLO_SERVER)</p>');
    await jest.advanceTimersByTimeAsync(1_600);
    flushSync();
    expect(iframe()?.src).toContain(JWT);
    expect(asked).toHaveLength(2);
  });

  it('without an `error` snippet, retrying shows `loading`; without `loading`, nothing', async () => {
    jest.useFakeTimers();
    answers.push(json({}, 503), json({}, 503));
    const first = show('ExploDashboard', { loading: paragraph('Loading…') });
    const second = show('ExploDashboard', {});
    await jest.advanceTimersByTimeAsync(0);
    flushSync();
    expect(asked).toHaveLength(2);
    expect([html(first.target), html(second.target)]).toEqual(['<p>Loading…</p>', '']);
  });

  it('ended (401: logged out) renders the `ended` snippet with restart, which tries again; onError has the coded error', async () => {
    answers.push(json({ code: 'ERR_EXPLO_UNAUTHENTICATED' }, 401));
    const onError = jest.fn();
    const ended = createRawSnippet((error: () => RefreshError, restart: () => () => void) => ({
      render: () => `<button type="button">${error().code}: sign in again</button>`,
      setup: (button: Element) => button.addEventListener('click', () => restart()()),
    }));
    const { target } = show('ExploDashboard', { onError, ended });
    const button = await until(() => target.querySelector('button'));
    expect(button.textContent).toBe('ERR_EXPLO_UNAUTHENTICATED: sign in again');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'ERR_EXPLO_UNAUTHENTICATED', willRetry: false }));
    answers.push(json({ jwt: JWT, expiresIn: 300 }));
    button.click();
    expect((await until(iframe)).src).toContain(JWT);
    expect(target.querySelector('button')).toBeNull();
  });

  it('loadTimeout and embedId: a dashboard that never sends dashboardReadyToLoad gets onError ERR_EXPLO_NOT_LOADED, linking its editor', async () => {
    const watchdog = watchdogExpectations();
    const onError = jest.fn();
    show('ExploDashboard', { token: JWT, loadTimeout: 1, embedId: 'emb-sales', onError });
    await until(() => (onError.mock.calls.length > 0 ? true : undefined));
    expect(onError).toHaveBeenCalledWith(watchdog.error);
    watchdog.restore();
  });

  it('ended without an `ended` snippet: the embed stays', async () => {
    const { target } = show('ExploDashboard', { token: JWT });
    answers.push(json({ code: 'ERR_EXPLO_UNAUTHENTICATED' }, 401));
    fromExplo({ event: 'customerJwtExpired' });
    await until(() => (asked.length === 1 ? true : undefined));
    flushSync();
    expect(target.querySelector('iframe')?.src).toContain(JWT);
  });

  it('answers the iframe’s customerJwtExpired with a fresh token, to Explo’s origin only', async () => {
    const onToken = jest.fn();
    show('ExploDashboard', { token: { jwt: JWT, expiresIn: 300 }, onToken });
    const posts = spyOnPosts();
    answers.push(json({ jwt: NEXT, expiresIn: 300 }));
    fromExplo({ event: 'customerJwtExpired' });
    await until(() => (posts().length === 1 ? true : undefined));
    expect(asked).toEqual([`${location.origin}/explo/token?fresh=1`]);
    expect(posts()).toEqual([[{ event: 'updateCustomerJwt', detail: { jwt: NEXT } }, 'https://app.explo.co']]);
    expect(onToken).toHaveBeenCalledWith(expect.objectContaining({ jwt: NEXT }));
    expect(iframe()?.src).toContain(JWT);
  });

  it('onLoad, and variables: sent once the dashboard has loaded, and whenever they change', () => {
    const onLoad = jest.fn();
    const { set } = show('ExploDashboard', { token: JWT, variables: { region: 'EU' }, onLoad });
    const posts = spyOnPosts();
    fromExplo({ event: 'dashboardLoaded', detail: LOADED });
    expect(onLoad).toHaveBeenCalledWith(LOADED);
    expect(posts().at(-1)).toEqual(SENT_EU);
    set('variables', { region: 'US', year: 2026 });
    expect(posts().at(-1)).toEqual(SENT_US_2026);
    // The same variables again (a new object): nothing sent.
    const sent = posts().length;
    set('variables', { region: 'US', year: 2026 });
    expect(posts()).toHaveLength(sent);
    // A new onLoad is the one called.
    const later = jest.fn();
    set('onLoad', later);
    fromExplo({ event: 'dashboardLoaded', detail: LOADED });
    expect([onLoad.mock.calls.length, later.mock.calls.length]).toEqual([1, 1]);
  });

  it('a new dashboard makes a new controller (and a new token); the element goes with it', async () => {
    answers.push(json({ jwt: JWT, expiresIn: 300 }), json({ jwt: NEXT, expiresIn: 300 }));
    const { set } = show('ExploDashboard', { dashboard: 'sales' });
    expect((await until(iframe)).src).toContain(JWT);
    set('dashboard', 'ops');
    await until(() => (iframe()?.src.includes(NEXT) ? true : undefined));
    expect(asked).toEqual([`${location.origin}/explo/token?dashboard=sales`, `${location.origin}/explo/token?dashboard=ops`]);
  });

  it('class, style and a fixed height reach the iframe; fill wraps it in Explo’s flex column', () => {
    const { target } = show('ExploReportBuilder', { token: JWT, fill: true, height: 600, class: 'wide', style: 'border:0' });
    expect(html(target)).toBe(
      '<div style="display: flex; flex-direction: column; height: 100%;">' +
        `<iframe src="https://app.explo.co/report-builder/iframe/${JWT}/production" title="Explo report builder" class="wide" style="flex: 1 1 auto; min-height: 0; height: 600px; border: 0px;"></iframe></div>`,
    );
  });

  it('web component: loads Explo’s bundle once per page, whatever the number of embeds; attributes as Explo reads them', () => {
    show('ExploDashboard', { token: JWT, mode: 'web-component', variables: { region: 'EU' } });
    show('ExploDashboard', { token: NEXT, mode: 'web-component', dashboard: 'ops' });
    expect(document.querySelectorAll('script[src="https://embed.explo.co/bundle.js"]')).toHaveLength(1);
    const elements = document.querySelectorAll('explo-dashboard');
    expect(elements).toHaveLength(2);
    expect(elements[0]?.getAttribute('dash-jwt')).toBe(JWT);
    expect(elements[0]?.getAttribute('variables')).toBe('{"region":"EU"}');
  });

  it('an appUrl that turns to javascript: is refused (a coded error) and never reaches the iframe', () => {
    const { target, set } = show('ExploDashboard', { token: JWT, appUrl: 'https://app.explo.co' });
    expect(iframe()?.getAttribute('src')).toBe(`https://app.explo.co/iframe/${JWT}/production`);
    expect(() => set('appUrl', 'javascript:alert(document.domain)//')).toThrow(
      expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID', option: 'appUrl' }),
    );
    expect(target.querySelector('iframe')?.getAttribute('src')).not.toMatch(/^\s*javascript:/i);
  });
});
