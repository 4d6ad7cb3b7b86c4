import { describe, expect, it } from '@jest/globals';
import { type CspTarget, governing, parsePolicies, sourceListAllows } from '../src/doctor/csp-policy.js';

// How doctor decides whether a page's Content-Security-Policy lets Explo in (CSP Level 3 matching).
const PAGE = new URL('https://app.example.com/dashboard');
const FRAME: CspTarget = { scheme: 'https', host: 'app.explo.co', port: '', path: '/iframe/abc/production' };
const DATA: CspTarget = { scheme: 'https', host: '*.data.explo.co', port: '', path: '/' };
const BUNDLE: CspTarget = { scheme: 'https', host: 'embed.explo.co', port: '', path: '/bundle.js', nonce: 'r4nd0m' };

describe('a source expression against Explo’s iframe URL', () => {
  it.each([
    ['*', true],
    ['https:', true],
    ['http:', true],
    ['wss:', false],
    ['app.explo.co', true],
    ['APP.EXPLO.CO', true],
    ['https://app.explo.co', true],
    ['http://app.explo.co', true],
    ['https://app.explo.co:443', true],
    ['https://app.explo.co:*', true],
    ['https://app.explo.co:8443', false],
    ['https://*.explo.co', true],
    ['https://*.app.explo.co', false],
    ['https://app.explo.co.evil.example', false],
    ['https://app.explo.co/iframe/', true],
    ['https://app.explo.co/iframe/abc/production', true],
    ['https://app.explo.co/report-builder/', false],
    ["'self'", false],
    ["'none'", false],
    ["'unsafe-inline'", false],
  ])('%s -> %p', (source, allowed) => {
    expect(sourceListAllows([source], FRAME, PAGE)).toBe(allowed);
  });

  it("'self' is the page's own origin; a schemeless host on an http page also fits https", () => {
    const self = { scheme: 'https', host: 'app.example.com', port: '', path: '/' } as const;
    expect(sourceListAllows(["'self'"], self, PAGE)).toBe(true);
    expect(sourceListAllows(['app.explo.co'], FRAME, new URL('http://localhost:3000/'))).toBe(true);
  });
});

describe('a wildcard Explo needs (its data hosts)', () => {
  it.each([
    ['https://*.data.explo.co', true],
    ['https://*.explo.co', true],
    ['https://eu.data.explo.co', false],
    ['https://data.explo.co', false],
  ])('%s covers *.data.explo.co: %p', (source, allowed) => {
    expect(sourceListAllows([source], DATA, PAGE)).toBe(allowed);
  });
});

describe("'strict-dynamic' and nonces", () => {
  const strict = ["'nonce-r4nd0m'", "'strict-dynamic'", 'https://embed.explo.co'];
  it('a script needs the nonce once strict-dynamic is there; hosts no longer count', () => {
    expect(sourceListAllows(strict, BUNDLE, PAGE, true)).toBe(true);
    expect(sourceListAllows(strict, { ...BUNDLE, nonce: 'other' }, PAGE, true)).toBe(false);
    expect(sourceListAllows(strict, { ...BUNDLE, nonce: undefined }, PAGE, true)).toBe(false);
  });
  it('strict-dynamic does not touch frames', () => {
    expect(sourceListAllows(["'strict-dynamic'", 'https://app.explo.co'], FRAME, PAGE)).toBe(true);
  });
});

describe('policies and the directive that governs a fetch', () => {
  it('several policies in one header value; the first occurrence of a directive wins', () => {
    const [first, second] = parsePolicies("frame-src https://a.example; FRAME-SRC https://b.example, script-src 'self'");
    expect(first?.get('frame-src')).toEqual(['https://a.example']);
    expect(second?.get('script-src')).toEqual(["'self'"]);
  });

  it('frame-src falls back to child-src then default-src; script-src-elem comes before script-src', () => {
    const [policy] = parsePolicies(
      "default-src 'none'; child-src https://app.explo.co; script-src-elem https://embed.explo.co; script-src 'self'",
    );
    expect(governing(policy!, 'frame-src')).toEqual({ directive: 'child-src', sources: ['https://app.explo.co'] });
    expect(governing(policy!, 'script-src')?.directive).toBe('script-src-elem');
    expect(governing(policy!, 'connect-src')).toEqual({ directive: 'default-src', sources: ["'none'"] });
    const [empty] = parsePolicies('upgrade-insecure-requests');
    expect(governing(empty!, 'frame-src')).toBeUndefined();
  });
});
