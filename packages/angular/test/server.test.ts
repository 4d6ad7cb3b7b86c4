import '@angular/compiler';
import { Component, provideZonelessChangeDetection } from '@angular/core';
import { type BootstrapContext, bootstrapApplication } from '@angular/platform-browser';
import { renderApplication } from '@angular/platform-server';
import { describe, expect, it } from '@jest/globals';
import { compiledPackage, expectOnlyDevModeNotice } from './support/compiled.js';

// Angular SSR, in Node: no window, no document. What the server sends is the embed itself.
const JWT = 'eyJhbGciOiJkaXIifQ..aXY.Y3Q.dGFn';
const { ExploEmbed, ExploLoadingTemplate } = await compiledPackage();
expectOnlyDevModeNotice();

/** The page the server renders for `template` (a root component whose template it is), its <body> content. */
async function ssr(template: string): Promise<string> {
  @Component({ selector: 'app-root', imports: [ExploEmbed, ExploLoadingTemplate], template })
  class Root {}
  const html = await renderApplication(
    (context: BootstrapContext) => bootstrapApplication(Root, { providers: [provideZonelessChangeDetection()] }, context),
    { document: '<html><head></head><body><app-root></app-root></body></html>' },
  );
  const body = /<app-root[^>]*>([\s\S]*)<\/app-root>/.exec(html)?.[1] ?? html;
  // Without Angular's hydration comments and the attributes its view encapsulation adds.
  return body.replace(/<!--[^>]*-->/g, '').replace(/ _ng(host|content)-[\w-]+(="")?/g, '');
}

describe('@explo-embed/angular on the server', () => {
  it('has no browser globals to touch', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
  });

  it('renders the iframe from the token the server passed', async () => {
    expect(await ssr(`<explo-embed-dashboard [token]="{ jwt: '${JWT}', expiresIn: 300 }" environment="staging" />`)).toBe(
      // The host keeps its static attributes (Angular's way) and takes no room (display: contents).
      `<explo-embed-dashboard environment="staging" style="display: contents;"><iframe src="https://app.explo.co/iframe/${JWT}/staging" title="Explo dashboard"></iframe></explo-embed-dashboard>`,
    );
    expect(
      await ssr(`<explo-embed-report-builder token="${JWT}" appUrl="http://127.0.0.1:4000" localeCode="fr-fr" />`),
    ).toContain(`src="http://127.0.0.1:4000/report-builder/iframe/${JWT}/production?locale_code=fr-fr"`);
  });

  it('renders the web components, variables as JSON; class, style and height on the element; fill as a wrapper', async () => {
    expect(
      await ssr(
        `<explo-embed-dashboard token="${JWT}" mode="web-component" [variables]="{ region: 'EU' }" embedClass="wide" [height]="600" />`,
      ),
    ).toContain(
      `<explo-dashboard style="height: 600px;" class="wide" dash-jwt="${JWT}" environment="production" variables="{&quot;region&quot;:&quot;EU&quot;}"></explo-dashboard>`,
    );
    expect(await ssr(`<explo-embed-report-builder token="${JWT}" mode="web-component" fill embedStyle="border: 0" />`)).toContain(
      '<div style="display: flex; flex-direction: column; height: 100%;">' +
        `<explo-report-builder style="border: 0; flex: 1 1 auto; min-height: 0;" jwt="${JWT}" environment="production"></explo-report-builder></div>`,
    );
  });

  it('without a token renders the loading template (the token is fetched in the browser), or nothing', async () => {
    expect(
      await ssr(
        '<explo-embed-dashboard><ng-template exploLoading><p>Loading analytics…</p></ng-template></explo-embed-dashboard>',
      ),
    ).toContain('<p>Loading analytics…</p>');
    expect(await ssr('<explo-embed-dashboard />')).toBe(
      '<explo-embed-dashboard style="display: contents;"></explo-embed-dashboard>',
    );
  });
});
