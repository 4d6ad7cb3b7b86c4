/**
 * @jest-environment ./test/support/jsdom-environment.mjs
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { type App, createApp, h, nextTick, type Ref, ref } from 'vue';
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
  until,
  watchdogExpectations,
} from '../../../test/support/embed-fixture.js';
import { ExploDashboard, ExploReportBuilder } from '../src/index.js';

// The component's logic in jsdom: the token route and Explo's iframe are played by the test.
const apps: App[] = [];
stubTokenRoute();
afterEach(() => {
  for (const app of apps.splice(0)) app.unmount();
  document.body.innerHTML = '';
  jest.useRealTimers();
});

/** Mounts `render` (re-run whenever the refs it reads change) in a fresh element. */
function mount(render: () => ReturnType<typeof h>): HTMLElement {
  const root = document.body.appendChild(document.createElement('div'));
  const app = createApp({ render });
  apps.push(app);
  app.mount(root);
  return root;
}

describe('<ExploDashboard> (Vue) in the browser', () => {
  it('without a token from the server, fetches one for its dashboard, then shows the iframe', async () => {
    answers.push(json({ jwt: JWT, expiresIn: 300, dashboard: 'ops' }));
    const onToken = jest.fn();
    const root = mount(() => h(ExploDashboard, { dashboard: 'ops', onToken }, { loading: () => h('p', 'Loading…') }));
    expect(root.textContent).toBe('Loading…');
    expect((await until(iframe)).src).toBe(`https://app.explo.co/iframe/${JWT}/production`);
    expect(asked).toEqual([`${location.origin}/explo/token?dashboard=ops`]);
    expect(onToken).toHaveBeenCalledWith(expect.objectContaining({ jwt: JWT }));
  });

  it('a first token that cannot be had yet shows the `error` slot, and is tried again with backoff', async () => {
    jest.useFakeTimers();
    answers.push(json({ code: 'ERR_EXPLO_SECRET_UNAVAILABLE' }, 503), json({ jwt: JWT, expiresIn: 300 }));
    const root = mount(() =>
      h(ExploDashboard, null, { error: ({ error }: { error: { code: string } }) => h('p', `Retrying (${error.code})`) }),
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(root.textContent).toBe('Retrying (ERR_EXPLO_SERVER)');
    await jest.advanceTimersByTimeAsync(1_600);
    expect(iframe()?.src).toContain(JWT);
    expect(asked).toHaveLength(2);
  });

  it('without an `error` slot, retrying shows `loading`; without `loading`, nothing', async () => {
    jest.useFakeTimers();
    answers.push(json({}, 503), json({}, 503));
    const root = mount(() => h('div', [h(ExploDashboard, null, { loading: () => h('p', 'Loading…') }), h(ExploDashboard)]));
    await jest.advanceTimersByTimeAsync(0);
    expect(asked).toHaveLength(2);
    expect(root.innerHTML).toBe('<div><p>Loading…</p><!----></div>');
  });

  it('ended (401: logged out) renders the `ended` slot with restart, which tries again; @error has the coded error', async () => {
    answers.push(json({ code: 'ERR_EXPLO_UNAUTHENTICATED' }, 401));
    const onError = jest.fn();
    const root = mount(() =>
      h(
        ExploDashboard,
        { onError },
        {
          ended: ({ error, restart }: { error: { code: string }; restart: () => void }) =>
            h('button', { type: 'button', onClick: restart }, `${error.code}: sign in again`),
        },
      ),
    );
    const button = await until(() => root.querySelector('button'));
    expect(button.textContent).toBe('ERR_EXPLO_UNAUTHENTICATED: sign in again');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'ERR_EXPLO_UNAUTHENTICATED', willRetry: false }));
    answers.push(json({ jwt: JWT, expiresIn: 300 }));
    button.click();
    expect((await until(iframe)).src).toContain(JWT);
    expect(root.querySelector('button')).toBeNull();
  });

  it('loadTimeout and embedId: a dashboard that never sends dashboardReadyToLoad gets @error ERR_EXPLO_NOT_LOADED, linking its editor', async () => {
    const watchdog = watchdogExpectations();
    const onError = jest.fn();
    mount(() => h(ExploDashboard, { token: JWT, loadTimeout: 1, embedId: 'emb-sales', onError }));
    await until(() => (onError.mock.calls.length > 0 ? true : undefined));
    expect(onError).toHaveBeenCalledWith(watchdog.error);
    expect(iframe()?.hasAttribute('embedid')).toBe(false); // a prop, not an attribute of the iframe
    watchdog.restore();
  });

  it('ended without an `ended` slot: the embed stays', async () => {
    const root = mount(() => h(ExploDashboard, { token: JWT }));
    answers.push(json({ code: 'ERR_EXPLO_UNAUTHENTICATED' }, 401));
    fromExplo({ event: 'customerJwtExpired' });
    await until(() => (asked.length === 1 ? true : undefined));
    await nextTick();
    expect(root.querySelector('iframe')?.src).toContain(JWT);
  });

  it('answers the iframe’s customerJwtExpired with a fresh token, to Explo’s origin only', async () => {
    const onToken = jest.fn();
    mount(() => h(ExploDashboard, { token: { jwt: JWT, expiresIn: 300 }, onToken }));
    await nextTick();
    const posts = spyOnPosts();
    answers.push(json({ jwt: NEXT, expiresIn: 300 }));
    fromExplo({ event: 'customerJwtExpired' });
    await until(() => (posts().length === 1 ? true : undefined));
    expect(asked).toEqual([`${location.origin}/explo/token?fresh=1`]);
    expect(posts()).toEqual([[{ event: 'updateCustomerJwt', detail: { jwt: NEXT } }, 'https://app.explo.co']]);
    expect(onToken).toHaveBeenCalledWith(expect.objectContaining({ jwt: NEXT }));
    expect(iframe()?.src).toContain(JWT);
  });

  it('@load, and variables: sent once the dashboard has loaded, and whenever they change', async () => {
    const onLoad = jest.fn();
    const variables: Ref<Record<string, unknown>> = ref({ region: 'EU' });
    mount(() => h(ExploDashboard, { token: JWT, variables: variables.value, onLoad }));
    await nextTick();
    const posts = spyOnPosts();
    fromExplo({ event: 'dashboardLoaded', detail: LOADED });
    expect(onLoad).toHaveBeenCalledWith(LOADED);
    expect(posts().at(-1)).toEqual(SENT_EU);
    variables.value = { region: 'US', year: 2026 };
    await nextTick();
    expect(posts().at(-1)).toEqual(SENT_US_2026);
    // The same variables again (a new object): nothing sent. A change inside the object: sent.
    const sent = posts().length;
    variables.value = { region: 'US', year: 2026 };
    await nextTick();
    expect(posts()).toHaveLength(sent);
    variables.value.year = 2027;
    await nextTick();
    expect(posts()).toHaveLength(sent + 1);
  });

  it('a new dashboard makes a new controller (and a new token); the element goes with it', async () => {
    answers.push(json({ jwt: JWT, expiresIn: 300 }), json({ jwt: NEXT, expiresIn: 300 }));
    const dashboard = ref('sales');
    mount(() => h(ExploDashboard, { dashboard: dashboard.value }));
    expect((await until(iframe)).src).toContain(JWT);
    dashboard.value = 'ops';
    await until(() => (iframe()?.src.includes(NEXT) ? true : undefined));
    expect(asked).toEqual([`${location.origin}/explo/token?dashboard=sales`, `${location.origin}/explo/token?dashboard=ops`]);
  });

  it('class, style, other attributes and a fixed height reach the iframe; fill wraps it in Explo’s flex column', async () => {
    const root = mount(() =>
      h(ExploReportBuilder, { token: JWT, fill: true, height: 600, class: 'wide', style: { border: '0px' }, 'data-test': 'rb' }),
    );
    await nextTick();
    expect(root.innerHTML).toBe(
      '<div style="display: flex; flex-direction: column; height: 100%;">' +
        `<iframe class="wide" style="flex: 1 1 auto; min-height: 0; height: 600px; border: 0px;" data-test="rb" src="https://app.explo.co/report-builder/iframe/${JWT}/production" title="Explo report builder"></iframe></div>`,
    );
  });

  it('web component: loads Explo’s bundle once per page, whatever the number of embeds; attributes as Explo reads them', async () => {
    mount(() =>
      h('div', [
        h(ExploDashboard, { token: JWT, mode: 'web-component', variables: { region: 'EU' } }),
        h(ExploDashboard, { token: NEXT, mode: 'web-component', dashboard: 'ops' }),
      ]),
    );
    await nextTick();
    expect(document.querySelectorAll('script[src="https://embed.explo.co/bundle.js"]')).toHaveLength(1);
    const elements = document.querySelectorAll('explo-dashboard');
    expect(elements).toHaveLength(2);
    expect(elements[0]?.getAttribute('dash-jwt')).toBe(JWT);
    expect(elements[0]?.getAttribute('variables')).toBe('{"region":"EU"}');
  });

  it('an appUrl that turns to javascript: is refused (a coded error to the app) and never reaches the iframe', async () => {
    const appUrl = ref('https://app.explo.co');
    const errors: unknown[] = [];
    const root = document.body.appendChild(document.createElement('div'));
    const app = createApp({ render: () => h(ExploDashboard, { token: JWT, appUrl: appUrl.value }) });
    app.config.errorHandler = (error) => void errors.push(error);
    apps.push(app);
    app.mount(root);
    expect(iframe()?.getAttribute('src')).toBe(`https://app.explo.co/iframe/${JWT}/production`);
    appUrl.value = 'javascript:alert(document.domain)//';
    await nextTick();
    expect(errors).toContainEqual(expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID', option: 'appUrl' }));
    expect(root.querySelector('iframe')?.getAttribute('src')).not.toMatch(/^\s*javascript:/i);
  });
});
