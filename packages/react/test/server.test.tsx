import { describe, expect, it } from '@jest/globals';
import { renderToString } from 'react-dom/server';
import { ExploDashboard, ExploReportBuilder } from '../src/index.js';

// Server rendering, in Node: no window, no document. What the server sends is the embed itself.
const JWT = 'eyJhbGciOiJkaXIifQ..aXY.Y3Q.dGFn';

describe('@explo-embed/react on the server', () => {
  it('has no browser globals to touch', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
  });

  it('renders the iframe from the token the server passed', () => {
    const html = renderToString(<ExploDashboard token={{ jwt: JWT, expiresIn: 300 }} environment="staging" />);
    expect(html).toBe(`<iframe src="https://app.explo.co/iframe/${JWT}/staging" title="Explo dashboard"></iframe>`);
    const builder = renderToString(<ExploReportBuilder token={JWT} appUrl="http://127.0.0.1:4000" />);
    expect(builder).toContain(`src="http://127.0.0.1:4000/report-builder/iframe/${JWT}/production"`);
  });

  it('renders the web components, variables as JSON', () => {
    const html = renderToString(
      <ExploDashboard token={JWT} mode="web-component" variables={{ region: 'EU' }} className="wide" />,
    );
    expect(html).toBe(
      `<explo-dashboard dash-jwt="${JWT}" environment="production" variables="{&quot;region&quot;:&quot;EU&quot;}" class="wide"></explo-dashboard>`,
    );
    expect(renderToString(<ExploReportBuilder token={JWT} mode="web-component" />)).toBe(
      `<explo-report-builder jwt="${JWT}" environment="production"></explo-report-builder>`,
    );
  });

  it('refuses an appUrl or bundleUrl that is not https: a javascript: URL never reaches the page', () => {
    const refused = expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID', option: 'appUrl' });
    expect(() => renderToString(<ExploDashboard token={JWT} appUrl="javascript:alert(document.domain)//" />)).toThrow(refused);
    expect(() => renderToString(<ExploReportBuilder token={JWT} appUrl="data:text/html,<script>alert(1)</script>" />)).toThrow(
      refused,
    );
    expect(() => renderToString(<ExploDashboard token={JWT} mode="web-component" bundleUrl="javascript:alert(1)" />)).toThrow(
      expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID', option: 'bundleUrl' }),
    );
  });

  it('without a token renders the loading state (the token is fetched in the browser)', () => {
    expect(renderToString(<ExploDashboard loading={<p>Loading analytics…</p>} />)).toBe('<p>Loading analytics…</p>');
    expect(renderToString(<ExploDashboard />)).toBe('');
  });
});
