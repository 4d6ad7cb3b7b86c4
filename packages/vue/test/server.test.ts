import { describe, expect, it } from '@jest/globals';
import { type Component, createSSRApp, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { ExploDashboard, ExploReportBuilder } from '../src/index.js';

// Server rendering (Nuxt), in Node: no window, no document. What the server sends is the embed itself.
const JWT = 'eyJhbGciOiJkaXIifQ..aXY.Y3Q.dGFn';
const ssr = (component: Component, props: Record<string, unknown> = {}, slots?: Record<string, () => unknown>) =>
  renderToString(createSSRApp({ render: () => h(component, props, slots) }));

describe('@explo-embed/vue on the server', () => {
  it('has no browser globals to touch', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
  });

  it('renders the iframe from the token the server passed', async () => {
    expect(await ssr(ExploDashboard, { token: { jwt: JWT, expiresIn: 300 }, environment: 'staging' })).toBe(
      `<iframe src="https://app.explo.co/iframe/${JWT}/staging" title="Explo dashboard"></iframe>`,
    );
    expect(await ssr(ExploReportBuilder, { token: JWT, appUrl: 'http://127.0.0.1:4000', localeCode: 'fr-fr' })).toContain(
      `src="http://127.0.0.1:4000/report-builder/iframe/${JWT}/production?locale_code=fr-fr"`,
    );
  });

  it('renders the web components, variables as JSON; class, style and height on the element; fill as a wrapper', async () => {
    expect(
      await ssr(ExploDashboard, { token: JWT, mode: 'web-component', variables: { region: 'EU' }, class: 'wide', height: 600 }),
    ).toBe(
      `<explo-dashboard class="wide" style="height:600px;" dash-jwt="${JWT}" environment="production" variables="{&quot;region&quot;:&quot;EU&quot;}"></explo-dashboard>`,
    );
    expect(await ssr(ExploReportBuilder, { token: JWT, mode: 'web-component', fill: true, style: 'border:0' })).toBe(
      '<div style="display:flex;flex-direction:column;height:100%;">' +
        `<explo-report-builder style="flex:1 1 auto;min-height:0;border:0;" jwt="${JWT}" environment="production"></explo-report-builder></div>`,
    );
  });

  it('refuses an appUrl or bundleUrl that is not https: a javascript: URL never reaches the page', async () => {
    // Vue warns (in development) where setup threw: kept here, and asserted.
    const warned: string[] = [];
    const refusal = (component: Component, props: Record<string, unknown>) => {
      const app = createSSRApp({ render: () => h(component, props) });
      app.config.warnHandler = (message) => void warned.push(message);
      return renderToString(app);
    };
    const refused = expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID', option: 'appUrl' });
    await expect(refusal(ExploDashboard, { token: JWT, appUrl: 'javascript:alert(document.domain)//' })).rejects.toEqual(refused);
    await expect(refusal(ExploReportBuilder, { token: JWT, appUrl: 'data:text/html,<script>alert(1)</script>' })).rejects.toEqual(
      refused,
    );
    await expect(
      refusal(ExploDashboard, { token: JWT, mode: 'web-component', bundleUrl: 'javascript:alert(1)' }),
    ).rejects.toEqual(expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID', option: 'bundleUrl' }));
    expect(warned).toEqual(Array(3).fill('Unhandled error during execution of setup function'));
  });

  it('without a token renders the loading slot (the token is fetched in the browser), or nothing', async () => {
    expect(await ssr(ExploDashboard, {}, { loading: () => h('p', 'Loading analytics…') })).toBe(
      '<!--[--><p>Loading analytics…</p><!--]-->',
    );
    expect(await ssr(ExploDashboard)).toBe('<!---->');
  });
});
