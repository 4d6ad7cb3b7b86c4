import { decryptExploJwt, type ExploSecret } from '@explo-embed/core';
import { expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { cookiesOf, type StartedApp } from './starter-kit.js';

/**
 * What every app made from a starter and a framework's README section must show, over HTTP and in
 * Chromium, whatever the framework: the README's page shows a login form to a visitor and, once
 * logged in as `acme`, Explo's iframe with that customer's token (default dashboard `a1b2c3d4`),
 * never cached; its token route answers the same customer's token, or 401; and in the browser the
 * README's refresher answers Explo's expiry message with a fresh token from that route. Each starter's
 * own test adds what is particular to it (its type check and build, its platform's quirks).
 */
export interface StarterAppUnderTest {
  /** The running app (started in the test's `beforeAll`). */
  app(): StartedApp;
  browser(): Browser;
  key: ExploSecret;
  /** The page that shows the dashboard, where the login sends the customer. Default `/dashboard`. */
  page?: string;
  /**
   * What keeps the token fresh in the page, for the test's name (`<ExploDashboard>`, `the page's
   * script`). None: the page shows the token only, and the Chromium check is left out.
   */
  refresher?: string;
  /** Hosts the page loads that this machine cannot reach (Google Fonts): answered empty. */
  unreachable?: RegExp;
  /** The Origin a browser sends with the login form's POST. Default: the app's own URL. */
  origin?(): string;
}

/** The token in a page's Explo iframe. */
export const jwtIn = (html: string) => /src="https:\/\/app\.explo\.co\/iframe\/([^/"]+)\/production"/.exec(html)?.[1];

/**
 * Explo's side of the iframe: until the page answers, it says the token is expiring (the page's
 * refresher listens once it has run), then shows the token it was handed as its title.
 */
const EXPLO_STAND_IN = `<!doctype html><title>waiting</title><script>
let renewed = false;
addEventListener('message', (event) => {
  if (event.data && event.data.event === 'updateCustomerJwt') { renewed = true; document.title = event.data.detail.jwt; }
});
(function expiring() { if (!renewed) { parent.postMessage({ event: 'customerJwtExpired' }, '*'); setTimeout(expiring, 250); } })();
</script>`;

export function starterAppContract(under: StarterAppUnderTest): void {
  const path = under.page ?? '/dashboard';
  const url = (to: string) => `${under.app().url}${to}`;
  /** The README's login (a form's POST, with the Origin a browser sends): the session cookie, after a redirect to the page. */
  const logIn = async (): Promise<string> => {
    const login = await fetch(url('/login'), {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: under.origin?.() ?? under.app().url },
    });
    expect([302, 303]).toContain(login.status);
    expect(new URL(login.headers.get('location') ?? '', under.app().url).pathname).toBe(path);
    return cookiesOf(login);
  };

  it('serves the page: a login form, then after login the iframe with the customer’s token, never cached', async () => {
    const loggedOut = await fetch(url(path));
    expect(loggedOut.status).toBe(200);
    expect(loggedOut.headers.get('cache-control')).toBeNull();
    const html = await loggedOut.text();
    expect(html).toContain('<form action="/login" method="post">');
    expect(jwtIn(html)).toBeUndefined();
    const page = await fetch(url(path), { headers: { cookie: await logIn() } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    const jwt = jwtIn(await page.text());
    expect((await decryptExploJwt(jwt as string, under.key)).claims).toMatchObject({ cst: 'acme', dsh: 'a1b2c3d4' });
  });

  it('serves the token route: the session’s customer’s token (one cache with the page), a fresh one, 401 without a session', async () => {
    const cookie = await logIn();
    const onPage = jwtIn(await (await fetch(url(path), { headers: { cookie } })).text());
    const token = await fetch(url('/explo/token'), { headers: { cookie } });
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toBe('no-store');
    expect(((await token.json()) as { jwt: string }).jwt).toBe(onPage);
    const fresh = await fetch(url('/explo/token?fresh=1'), { headers: { cookie } });
    expect((await decryptExploJwt(((await fresh.json()) as { jwt: string }).jwt, under.key)).claims.cst).toBe('acme');
    const anonymous = await fetch(url('/explo/token'));
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('ERR_EXPLO_UNAUTHENTICATED');
  });

  if (under.refresher === undefined) return;
  it(`in Chromium: ${under.refresher} answers Explo’s expiry with a fresh token for the customer, with no page error`, async () => {
    const context = await under.browser().newContext();
    try {
      await context.route('https://app.explo.co/**', (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: EXPLO_STAND_IN }),
      );
      if (under.unreachable) await context.route(under.unreachable, (route) => route.fulfill({ status: 200, body: '' }));
      const [name, ...value] = (await logIn()).split('=');
      const { hostname } = new URL(under.app().url);
      await context.addCookies([{ name: name as string, value: value.join('='), domain: hostname, path: '/' }]);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' || /hydrat/i.test(message.text())) errors.push(message.text());
      });
      const asked: URL[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/explo/token') asked.push(new URL(request.url()));
      });
      await page.goto(url(path));
      const explo = page.frames().find((frame) => frame.url().startsWith('https://app.explo.co/'));
      expect(explo).toBeDefined();
      await explo?.waitForFunction(() => document.title !== 'waiting', undefined, { timeout: 20_000 });
      const renewed = (await explo?.title()) as string;
      expect((await decryptExploJwt(renewed, under.key)).claims).toMatchObject({ cst: 'acme', dsh: 'a1b2c3d4' });
      expect(asked.length).toBeGreaterThanOrEqual(1);
      for (const request of asked) expect(request.searchParams.get('fresh')).toBe('1');
      // The renewed token reached the server's iframe by message: it was neither reloaded nor doubled.
      expect(await page.locator('iframe[src^="https://app.explo.co/"]').count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
}
