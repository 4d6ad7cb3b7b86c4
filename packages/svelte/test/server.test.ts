import { beforeAll, describe, expect, it } from '@jest/globals';
import { render } from 'svelte/server';
import { type Components, compiledComponents } from './support/compiled.js';

// Server rendering (SvelteKit), in Node: no window, no document. What the server sends is the embed itself.
const JWT = 'eyJhbGciOiJkaXIifQ..aXY.Y3Q.dGFn';
let components: Components;
beforeAll(async () => {
  components = await compiledComponents('server');
});
/** The body without Svelte's hydration markers. */
const html = (component: keyof Components, props: Record<string, unknown>) =>
  render(components[component], { props }).body.replace(/<!--[^>]*-->/g, '');

describe('@explo-embed/svelte on the server', () => {
  it('has no browser globals to touch', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
  });

  it('renders the iframe from the token the server passed', () => {
    expect(html('ExploDashboard', { token: { jwt: JWT, expiresIn: 300 }, environment: 'staging' })).toBe(
      `<iframe src="https://app.explo.co/iframe/${JWT}/staging" title="Explo dashboard"></iframe>`,
    );
    expect(html('ExploReportBuilder', { token: JWT, appUrl: 'http://127.0.0.1:4000', localeCode: 'fr-fr' })).toContain(
      `src="http://127.0.0.1:4000/report-builder/iframe/${JWT}/production?locale_code=fr-fr"`,
    );
  });

  it('renders the web components, variables as JSON; class, style and height on the element; fill as a wrapper', () => {
    expect(
      html('ExploDashboard', { token: JWT, mode: 'web-component', variables: { region: 'EU' }, class: 'wide', height: 600 }),
    ).toBe(
      `<explo-dashboard dash-jwt="${JWT}" environment="production" variables="{&quot;region&quot;:&quot;EU&quot;}" class="wide" style="height:600px"></explo-dashboard>`,
    );
    expect(html('ExploReportBuilder', { token: JWT, mode: 'web-component', fill: true, style: 'border:0' })).toBe(
      '<div style="display:flex;flex-direction:column;height:100%">' +
        `<explo-report-builder jwt="${JWT}" environment="production" style="flex:1 1 auto;min-height:0;border:0"></explo-report-builder></div>`,
    );
  });

  it('refuses an appUrl or bundleUrl that is not https: a javascript: URL never reaches the page', () => {
    const refused = expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID', option: 'appUrl' });
    expect(() => html('ExploDashboard', { token: JWT, appUrl: 'javascript:alert(document.domain)//' })).toThrow(refused);
    expect(() => html('ExploReportBuilder', { token: JWT, appUrl: 'data:text/html,<script>alert(1)</script>' })).toThrow(refused);
    expect(() => html('ExploDashboard', { token: JWT, mode: 'web-component', bundleUrl: 'javascript:alert(1)' })).toThrow(
      expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID', option: 'bundleUrl' }),
    );
  });

  it('without a token renders the loading snippet (the token is fetched in the browser), or nothing', async () => {
    const { createRawSnippet } = await import('svelte');
    const loading = createRawSnippet(() => ({ render: () => '<p>Loading analytics…</p>' }));
    expect(html('ExploDashboard', { loading })).toBe('<p>Loading analytics…</p>');
    expect(html('ExploDashboard', {})).toBe('');
  });
});
