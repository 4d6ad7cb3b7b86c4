import { describe, expect, it } from '@jest/globals';
import {
  createExploEmbedController,
  EXPLO_CONTROLLER_OPTIONS,
  ExploEmbedOptionError,
  exploControllerKey,
  exploCss,
  exploEmbedElement,
  exploEmbedStyle,
  exploEmbedUrls,
  exploFixedHeight,
  exploIframeSrc,
  exploShownJwt,
  exploTitle,
} from '../src/embed-controller.js';

// The view rules every framework's component follows, in one place: pure, so asserted as values.
const JWT = 'eyJhbGciOiJkaXIifQ..aXY.Y3Q.dGFn';
const ended = { code: 'ERR_EXPLO_UNAUTHENTICATED', message: 'logged out', willRetry: false } as const;

describe('the embed view rules', () => {
  it('a controller is made of these options, the token not among them (read once)', () => {
    expect(EXPLO_CONTROLLER_OPTIONS).not.toContain('token');
    expect(exploControllerKey({ dashboard: 'sales', height: 600, token: JWT, variables: { a: 1 } })).toEqual([
      'sales',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      600,
    ]);
  });

  it('shows the jwt while ready and after an ending; none while loading or retrying', () => {
    expect(exploShownJwt({ state: 'ready', jwt: JWT })).toBe(JWT);
    expect(exploShownJwt({ state: 'ended', error: ended, jwt: JWT })).toBe(JWT);
    expect(exploShownJwt({ state: 'ended', error: ended })).toBeUndefined();
    expect(exploShownJwt({ state: 'retrying', error: { ...ended, willRetry: true } })).toBeUndefined();
    expect(exploShownJwt({ state: 'loading' })).toBeUndefined();
  });

  it('titles the iframe by kind unless the host gives a title', () => {
    expect(exploTitle('dashboard')).toBe('Explo dashboard');
    expect(exploTitle('report-builder')).toBe('Explo report builder');
    expect(exploTitle('dashboard', 'Sales')).toBe('Sales');
  });

  it('a number is a height in pixels, a string is kept, "auto" and none give no height', () => {
    expect([600, '50vh', 'auto', undefined].map(exploFixedHeight)).toEqual(['600px', '50vh', undefined, undefined]);
    expect(exploEmbedStyle({ fill: true, height: 600 })).toEqual({ flex: '1 1 auto', minHeight: '0', height: '600px' });
    expect(exploEmbedStyle({ height: 'auto' })).toEqual({});
    expect(exploCss(exploEmbedStyle({ fill: true, height: '50vh' }))).toBe('flex:1 1 auto;min-height:0;height:50vh');
  });

  it('the element by mode: the iframe with its URL and title, or Explo’s web component', () => {
    expect(exploEmbedElement('report-builder', JWT, { localeCode: 'fr-fr' })).toEqual({
      tag: 'iframe',
      attributes: {
        src: `https://app.explo.co/report-builder/iframe/${JWT}/production?locale_code=fr-fr`,
        title: 'Explo report builder',
      },
    });
    expect(exploEmbedElement('dashboard', JWT, { mode: 'web-component', environment: 'staging' })).toEqual({
      tag: 'explo-dashboard',
      attributes: { 'dash-jwt': JWT, environment: 'staging' },
    });
  });
});

describe('appUrl and bundleUrl: https only, checked once for every framework', () => {
  const refused = [
    'javascript:alert(1)//',
    'JavaScript:alert(document.domain)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'http://app.explo.co',
    'http://10.0.0.7:4000',
    '//app.explo.co',
    '/explo',
    'https://user:password@app.explo.co',
    'not a url',
  ];
  const optionError = (option: string) => expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID', option });

  it.each(refused)('refuses the appUrl %j: no controller, no iframe src, no element', (appUrl) => {
    expect(() => createExploEmbedController({ appUrl })).toThrow(optionError('appUrl'));
    expect(() => exploIframeSrc('dashboard', JWT, { appUrl })).toThrow(optionError('appUrl'));
    expect(() => exploEmbedElement('report-builder', JWT, { appUrl })).toThrow(optionError('appUrl'));
    expect(() => exploEmbedUrls({ appUrl })).toThrow(ExploEmbedOptionError);
  });

  it.each(refused)('refuses the bundleUrl %j', (bundleUrl) => {
    expect(() => createExploEmbedController({ mode: 'web-component', bundleUrl })).toThrow(optionError('bundleUrl'));
  });

  it('an app URL is a base: no query or fragment', () => {
    expect(() => exploIframeSrc('dashboard', JWT, { appUrl: 'https://app.explo.co/?x=1' })).toThrow(optionError('appUrl'));
    expect(() => exploIframeSrc('dashboard', JWT, { appUrl: 'https://app.explo.co#x' })).toThrow(optionError('appUrl'));
  });

  it('says which option and what it must be, without repeating the value', () => {
    const error = (() => {
      try {
        createExploEmbedController({ appUrl: 'javascript:alert("hi")' });
      } catch (thrown) {
        return thrown as Error;
      }
      throw new Error('expected a refusal');
    })();
    expect(error.name).toBe('ExploEmbedOptionError');
    expect(error.message).toBe(
      'Invalid option "appUrl": must be an https URL such as "https://app.explo.co" (http only on localhost, 127.0.0.1 or [::1], for a stand-in).',
    );
  });

  it('accepts https, and http on a loopback host (a stand-in); the URL used is the one checked', () => {
    expect(exploEmbedUrls({})).toEqual({ appUrl: 'https://app.explo.co', bundleUrl: 'https://embed.explo.co/bundle.js' });
    for (const appUrl of ['https://eu.app.explo.co', 'http://localhost:4000', 'http://127.0.0.1:4000', 'http://[::1]:4000']) {
      expect(exploIframeSrc('dashboard', JWT, { appUrl })).toBe(`${appUrl}/iframe/${JWT}/production`);
      expect(() => createExploEmbedController({ appUrl, bundleUrl: `${appUrl}/bundle.js` })).not.toThrow();
    }
    expect(exploIframeSrc('dashboard', JWT, { appUrl: 'HTTPS://App.Explo.co/' })).toBe(
      `https://app.explo.co/iframe/${JWT}/production`,
    );
  });
});
