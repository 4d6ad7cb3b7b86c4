import { describe, expect, it } from '@jest/globals';
import {
  EXPLO_CONTROLLER_OPTIONS,
  exploControllerKey,
  exploCss,
  exploEmbedElement,
  exploEmbedStyle,
  exploFixedHeight,
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
