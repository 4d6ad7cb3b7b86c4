/**
 * @jest-environment ./test/support/jsdom-environment.mjs
 */
import '@angular/compiler';
import { type ApplicationRef, Component, ErrorHandler, provideZonelessChangeDetection, signal, type Type } from '@angular/core';
import { createApplication } from '@angular/platform-browser';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
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
import type { FreshToken, RefreshError } from '../src/index.js';
import { compiledPackage, expectOnlyDevModeNotice } from './support/compiled.js';

// The components' logic in jsdom, compiled as published and linked when loaded: the token route and
// Explo's iframe are played by the test.
const { ExploEmbed, ExploLoadingTemplate, ExploErrorTemplate, ExploEndedTemplate } = await compiledPackage();
const IMPORTS = [ExploEmbed, ExploLoadingTemplate, ExploErrorTemplate, ExploEndedTemplate];

const apps: ApplicationRef[] = [];
stubTokenRoute();
expectOnlyDevModeNotice();
afterEach(() => {
  for (const app of apps.splice(0)) app.destroy();
  document.body.innerHTML = '';
});

/** Bootstraps `root` into a fresh element; returns the element, the component and the app (for `tick`). */
async function mount<T>(root: Type<T>): Promise<{ element: HTMLElement; component: T; app: ApplicationRef }> {
  const element = document.body.appendChild(document.createElement('test-root'));
  const app = await createApplication({ providers: [provideZonelessChangeDetection()] });
  apps.push(app);
  const component = app.bootstrap(root, element).instance;
  await app.whenStable();
  return { element, component, app };
}

describe('<explo-embed-dashboard> (Angular) in the browser', () => {
  it('without a token, fetches one for its dashboard, then shows the iframe; (token) has it', async () => {
    answers.push(json({ jwt: JWT, expiresIn: 300, dashboard: 'ops' }));
    @Component({
      selector: 'test-root',
      imports: IMPORTS,
      template: `<explo-embed-dashboard dashboard="ops" (token)="tokens.push($event)">
        <ng-template exploLoading><p>Loading…</p></ng-template>
      </explo-embed-dashboard>`,
    })
    class Root {
      tokens: FreshToken[] = [];
    }
    const { element, component, app } = await mount(Root);
    expect(element.textContent?.trim()).toBe('Loading…');
    expect((await until(iframe, () => app.tick())).src).toBe(`https://app.explo.co/iframe/${JWT}/production`);
    expect(asked).toEqual([`${location.origin}/explo/token?dashboard=ops`]);
    expect(component.tokens).toEqual([expect.objectContaining({ jwt: JWT })]);
  });

  it('a first token that cannot be had yet shows the exploError template while another try is planned', async () => {
    answers.push(json({ code: 'ERR_EXPLO_SECRET_UNAVAILABLE' }, 503));
    @Component({
      selector: 'test-root',
      imports: IMPORTS,
      template: `<explo-embed-dashboard>
        <ng-template exploError let-error><p>Retrying ({{ error.code }})</p></ng-template>
      </explo-embed-dashboard>`,
    })
    class Root {}
    const { element, app } = await mount(Root);
    await until(
      () => (element.textContent?.includes('Retrying') ? true : undefined),
      () => app.tick(),
    );
    expect(element.textContent?.trim()).toBe('Retrying (ERR_EXPLO_SERVER)');
  });

  it('ended (401: logged out) renders the exploEnded template with restart, which tries again; (error) has the coded error', async () => {
    answers.push(json({ code: 'ERR_EXPLO_UNAUTHENTICATED' }, 401));
    @Component({
      selector: 'test-root',
      imports: IMPORTS,
      template: `<explo-embed-dashboard (error)="errors.push($event)">
        <ng-template exploEnded let-error let-restart="restart">
          <button type="button" (click)="restart()">{{ error.code }}: sign in again</button>
        </ng-template>
      </explo-embed-dashboard>`,
    })
    class Root {
      errors: RefreshError[] = [];
    }
    const { element, component, app } = await mount(Root);
    const button = await until(
      () => element.querySelector('button'),
      () => app.tick(),
    );
    expect(button.textContent).toBe('ERR_EXPLO_UNAUTHENTICATED: sign in again');
    expect(component.errors).toEqual([expect.objectContaining({ code: 'ERR_EXPLO_UNAUTHENTICATED', willRetry: false })]);
    answers.push(json({ jwt: JWT, expiresIn: 300 }));
    button.click();
    expect((await until(iframe, () => app.tick())).src).toContain(JWT);
    expect(element.querySelector('button')).toBeNull();
  });

  it('answers the iframe’s customerJwtExpired with a fresh token, to Explo’s origin only; stops when destroyed', async () => {
    @Component({
      selector: 'test-root',
      imports: IMPORTS,
      template: `<explo-embed-dashboard [token]="{ jwt: jwt, expiresIn: 300 }" (token)="tokens.push($event)" />`,
    })
    class Root {
      jwt = JWT;
      tokens: FreshToken[] = [];
    }
    const { component, app } = await mount(Root);
    const posts = spyOnPosts();
    answers.push(json({ jwt: NEXT, expiresIn: 300 }));
    fromExplo({ event: 'customerJwtExpired' });
    await until(() => (posts().length === 1 ? true : undefined));
    expect(asked).toEqual([`${location.origin}/explo/token?fresh=1`]);
    expect(posts()).toEqual([[{ event: 'updateCustomerJwt', detail: { jwt: NEXT } }, 'https://app.explo.co']]);
    expect(component.tokens).toEqual([expect.objectContaining({ jwt: NEXT })]);
    expect(iframe()?.src).toContain(JWT);
    // Destroyed: the helper stops listening to Explo's messages (and the iframe is gone).
    const removed = jest.spyOn(window, 'removeEventListener');
    const frame = iframe();
    apps.pop()?.destroy();
    expect(app.destroyed).toBe(true);
    expect(frame?.isConnected).toBe(false);
    expect(removed).toHaveBeenCalledWith('message', expect.any(Function));
    removed.mockRestore();
  });

  it('[loadTimeout] and [embedId]: a dashboard that never sends dashboardReadyToLoad gets (error) ERR_EXPLO_NOT_LOADED, linking its editor', async () => {
    const watchdog = watchdogExpectations();
    @Component({
      selector: 'test-root',
      imports: IMPORTS,
      template: `<explo-embed-dashboard [token]="jwt" [loadTimeout]="1" embedId="emb-sales" (error)="errors.push($event)" />`,
    })
    class Root {
      jwt = JWT;
      errors: RefreshError[] = [];
    }
    const { component, app } = await mount(Root);
    await until(
      () => (component.errors.length > 0 ? true : undefined),
      () => app.tick(),
    );
    expect(component.errors).toEqual([watchdog.error]);
    watchdog.restore();
  });

  it('(load), and variables: sent once the dashboard has loaded, and whenever they change', async () => {
    @Component({
      selector: 'test-root',
      imports: IMPORTS,
      template: `<explo-embed-dashboard [token]="jwt" [variables]="variables()" (load)="loads.push($event)" />`,
    })
    class Root {
      jwt = JWT;
      variables = signal<Record<string, unknown>>({ region: 'EU' });
      loads: unknown[] = [];
    }
    const { component, app } = await mount(Root);
    const posts = spyOnPosts();
    fromExplo({ event: 'dashboardLoaded', detail: LOADED });
    expect(component.loads).toEqual([LOADED]);
    expect(posts().at(-1)).toEqual(SENT_EU);
    component.variables.set({ region: 'US', year: 2026 });
    await app.whenStable();
    expect(posts().at(-1)).toEqual(SENT_US_2026);
    // The same variables again (a new object): nothing sent.
    const sent = posts().length;
    component.variables.set({ region: 'US', year: 2026 });
    await app.whenStable();
    expect(posts()).toHaveLength(sent);
  });

  it('a new dashboard makes a new controller (and a new token); the element goes with it', async () => {
    answers.push(json({ jwt: JWT, expiresIn: 300 }), json({ jwt: NEXT, expiresIn: 300 }));
    @Component({ selector: 'test-root', imports: IMPORTS, template: `<explo-embed-dashboard [dashboard]="dashboard()" />` })
    class Root {
      dashboard = signal('sales');
    }
    const { component, app } = await mount(Root);
    expect((await until(iframe, () => app.tick())).src).toContain(JWT);
    component.dashboard.set('ops');
    await until(
      () => (iframe()?.src.includes(NEXT) ? true : undefined),
      () => app.tick(),
    );
    expect(asked).toEqual([`${location.origin}/explo/token?dashboard=sales`, `${location.origin}/explo/token?dashboard=ops`]);
  });

  it('embedClass, embedStyle and a fixed height reach the iframe; fill wraps it in Explo’s flex column', async () => {
    @Component({
      selector: 'test-root',
      imports: IMPORTS,
      template: `<explo-embed-report-builder [token]="jwt" fill [height]="600" embedClass="wide" embedStyle="border: 0px" />`,
    })
    class Root {
      jwt = JWT;
    }
    const { element } = await mount(Root);
    const wrapper = element.querySelector('explo-embed-report-builder > div') as HTMLElement;
    expect(wrapper.getAttribute('style')).toBe('display: flex; flex-direction: column; height: 100%;');
    const frame = wrapper.querySelector('iframe') as HTMLIFrameElement;
    expect(frame.className).toBe('wide');
    // Angular's [style] binding writes the properties in its own (sorted) order.
    expect(frame.getAttribute('style')).toBe('border: 0px; flex: 1 1 auto; height: 600px; min-height: 0;');
    expect(frame.src).toBe(`https://app.explo.co/report-builder/iframe/${JWT}/production`);
    expect(frame.title).toBe('Explo report builder');
  });

  it('web component: loads Explo’s bundle once per page, whatever the number of embeds; attributes as Explo reads them', async () => {
    @Component({
      selector: 'test-root',
      imports: IMPORTS,
      template: `<explo-embed-dashboard [token]="jwt" mode="web-component" [variables]="{ region: 'EU' }" />
        <explo-embed-dashboard [token]="next" mode="web-component" dashboard="ops" />`,
    })
    class Root {
      jwt = JWT;
      next = NEXT;
    }
    await mount(Root);
    expect(document.querySelectorAll('script[src="https://embed.explo.co/bundle.js"]')).toHaveLength(1);
    const elements = document.querySelectorAll('explo-dashboard');
    expect(elements).toHaveLength(2);
    expect(elements[0]?.getAttribute('dash-jwt')).toBe(JWT);
    expect(elements[0]?.getAttribute('variables')).toBe('{"region":"EU"}');
  });

  it('refuses an appUrl that is not https (the browser layer’s coded error): the iframe URL is written past Angular’s resource-URL check', async () => {
    const handled: unknown[] = [];
    @Component({
      selector: 'test-root',
      imports: IMPORTS,
      template: `<explo-embed-dashboard [token]="jwt" appUrl="javascript:alert(1)//" />`,
    })
    class Root {
      jwt = JWT;
    }
    const element = document.body.appendChild(document.createElement('test-root'));
    const app = await createApplication({
      providers: [
        provideZonelessChangeDetection(),
        { provide: ErrorHandler, useValue: { handleError: (e: unknown) => handled.push(e) } },
      ],
    });
    apps.push(app);
    try {
      app.bootstrap(Root, element);
    } catch (error) {
      handled.push(error);
    }
    expect(handled[0]).toEqual(expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID', option: 'appUrl' }));
    expect(document.querySelector('iframe')).toBeNull();
  });
});
