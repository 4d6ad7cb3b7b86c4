import { describe, expect, it } from '@jest/globals';
import helmet from 'helmet';
import { createExploEmbed, ExploOptionError, exploCspSources, toExploOrigin, withExploCsp } from '../src/index.js';
import { KEY } from './fixtures.js';

describe('the Content-Security-Policy an embedding page needs', () => {
  it('names Explo’s hosts per directive', () => {
    expect(exploCspSources()).toEqual({
      'frame-src': ['https://app.explo.co'],
      'script-src': ['https://embed.explo.co'],
      'connect-src': [
        'https://api.explo.co',
        'https://*.data.explo.co',
        'https://custom-assets.explo.co',
        'https://app.explo.co',
      ],
      'img-src': ['https://custom-assets.explo.co', 'https://app.explo.co'],
      'font-src': ['https://custom-assets.explo.co'],
      'style-src': ['https://custom-assets.explo.co'],
    });
  });

  it('adds them to helmet’s defaults without touching the rest, and takes a stand-in or regional data hosts', () => {
    const defaults = helmet.contentSecurityPolicy.getDefaultDirectives();
    const merged = withExploCsp(defaults, { appOrigin: 'http://127.0.0.1:4000', dataHosts: ['https://*.data.eu.example'] });
    expect(merged['frame-src']).toEqual(["'self'", 'http://127.0.0.1:4000']);
    expect(merged['script-src']).toEqual(["'self'", 'https://embed.explo.co']);
    expect(merged['connect-src']).toContain('https://*.data.eu.example');
    expect(merged['object-src']).toEqual(["'none'"]);
    expect(merged['img-src']).toEqual(expect.arrayContaining(["'self'", 'data:', 'https://custom-assets.explo.co']));
    // The app's own directives object is left as it was.
    expect(defaults['frame-src']).toBeUndefined();
  });
});

/** The header helmet sends for `directives` (its own defaults left out): it throws where helmet refuses them. */
function helmetHeader(
  directives: NonNullable<NonNullable<Parameters<typeof helmet.contentSecurityPolicy>[0]>['directives']>,
): string {
  const middleware = helmet.contentSecurityPolicy({ useDefaults: false, directives });
  let header = '';
  let failed: unknown;
  const response = { setHeader: (_name: string, value: string) => (header = value) };
  middleware({} as never, response as never, (error?: unknown) => (failed = error));
  if (failed) throw failed;
  return header;
}

const EXPLO_IN_HEADER = [
  "frame-src 'self' https://app.explo.co",
  "script-src 'self' https://embed.explo.co",
  'https://*.data.explo.co',
  'font-src',
];

describe('one spelling per directive, as helmet takes them', () => {
  it('camelCase directives get Explo’s sources in their own keys, and helmet accepts them', () => {
    const merged = withExploCsp({ defaultSrc: ["'self'"], frameSrc: ["'self'"], scriptSrc: ["'self'"], objectSrc: ["'none'"] });
    expect(Object.keys(merged).filter((name) => name.includes('-'))).toEqual([]);
    expect(merged.frameSrc).toEqual(["'self'", 'https://app.explo.co']);
    expect(merged.connectSrc).toEqual([
      "'self'",
      'https://api.explo.co',
      'https://*.data.explo.co',
      'https://custom-assets.explo.co',
      'https://app.explo.co',
    ]);
    const header = helmetHeader(merged);
    for (const part of EXPLO_IN_HEADER) expect(header).toContain(part);
    expect(header).toContain("object-src 'none'");
  });

  it('kebab-case directives (helmet’s defaults) stay kebab-case, and helmet accepts them', () => {
    const merged = withExploCsp(helmet.contentSecurityPolicy.getDefaultDirectives());
    expect(Object.keys(merged).filter((name) => /[A-Z]/.test(name))).toEqual([]);
    const header = helmetHeader(merged);
    for (const part of EXPLO_IN_HEADER) expect(header).toContain(part);
    // The same through helmet() with its defaults on, as the README writes it.
    expect(() => helmet({ contentSecurityPolicy: { directives: merged } })).not.toThrow();
  });

  it('a directive set in both spellings is the caller’s mistake, named', () => {
    expect(() => withExploCsp({ 'default-src': ["'self'"], frameSrc: [], 'frame-src': [] })).toThrow(
      new TypeError('withExploCsp: the directives set both "frame-src" and "frameSrc"; keep one.'),
    );
  });

  it("helmet’s marker for no default-src is kept, and the directives Explo needs start from 'self'", () => {
    // Written inline, as helmet's README does: the symbol's own type is kept for helmet's options.
    const merged = withExploCsp({ defaultSrc: helmet.contentSecurityPolicy.dangerouslyDisableDefaultSrc, scriptSrc: ["'self'"] });
    expect(merged.defaultSrc).toBe(helmet.contentSecurityPolicy.dangerouslyDisableDefaultSrc);
    expect(merged.frameSrc).toEqual(["'self'", 'https://app.explo.co']);
    expect(merged.scriptSrc).toEqual(["'self'", 'https://embed.explo.co']);
    // Its type goes back into helmet's options as it is, and helmet sends no default-src.
    const header = helmetHeader(merged);
    expect(header).not.toContain('default-src');
    expect(header).toContain("frame-src 'self' https://app.explo.co");
  });

  it('a symbol where Explo needs sources is named', () => {
    expect(() => withExploCsp({ 'default-src': ["'self'"], 'frame-src': Symbol('none') })).toThrow(
      new TypeError(
        'withExploCsp: "frame-src" is a symbol, not a list of sources; Explo\'s hosts must be allowed there, so give it a list (or leave it out).',
      ),
    );
  });

  it('a directive given as one string is one source, as helmet reads it', () => {
    const merged = withExploCsp({ 'default-src': "'self'" as unknown as string[], 'frame-src': "'self'" as unknown as string[] });
    expect(merged['frame-src']).toEqual(["'self'", 'https://app.explo.co']);
    expect(merged['font-src']).toEqual(["'self'", 'https://custom-assets.explo.co']);
  });
});

describe('the hosts are checked', () => {
  const refused = (options: Parameters<typeof exploCspSources>[0], option: string) =>
    expect(() => exploCspSources(options)).toThrow(
      expect.objectContaining({ name: 'ExploOptionError', code: 'ERR_EXPLO_OPTION_INVALID', option }),
    );

  it('data hosts are https://host or https://*.host, nothing else reaches the policy', () => {
    for (const host of [
      'host; script-src *',
      "https://data.example 'unsafe-inline'",
      'https://data.example;',
      'http://data.example',
      'data.example',
      '*.data.example',
      'https://*',
      'https://*.co',
      'https://a.*.example',
      'https://*.*.example',
      'https://data.example/path',
      'https://data.example?x=1',
      'https://user@data.example',
      'https://-bad.example',
      '',
    ]) {
      refused({ dataHosts: ['https://*.data.explo.co', host] }, 'dataHosts[1]');
    }
    refused({ dataHosts: [42 as unknown as string] }, 'dataHosts[0]');
    refused({ dataHosts: 'https://*.data.explo.co' as unknown as string[] }, 'dataHosts');
    expect(exploCspSources({ dataHosts: ['https://*.data.eu.example', 'HTTPS://Data.Example:8443/'] })['connect-src']).toEqual([
      'https://api.explo.co',
      'https://*.data.eu.example',
      'https://data.example:8443',
      'https://custom-assets.explo.co',
      'https://app.explo.co',
    ]);
  });

  it('every origin is https, http only on a loopback host (a stand-in); each error names its option', () => {
    for (const source of Object.values(exploCspSources()).flat()) expect(source).toMatch(/^https:\/\//);
    refused({ assetsOrigin: 'http://custom-assets.explo.co' }, 'assetsOrigin');
    refused({ appOrigin: 'http://app.example.com' }, 'appOrigin');
    refused({ embedOrigin: 'https://embed.explo.co/bundle.js' }, 'embedOrigin');
    refused({ apiOrigin: 'https:api.explo.co' }, 'apiOrigin');
    refused({ apiOrigin: 'https://api.explo.co; script-src *' }, 'apiOrigin');
    refused({ dataHost: [] } as never, 'dataHost');
    const local = exploCspSources({
      appOrigin: 'http://127.0.0.1:4000',
      embedOrigin: 'http://localhost:4000',
      apiOrigin: 'http://[::1]:4000',
      assetsOrigin: 'http://127.0.0.1:4000/',
      dataHosts: [],
    });
    expect(local['connect-src']).toEqual(['http://[::1]:4000', 'http://127.0.0.1:4000']);
    expect(() => exploCspSources({ appOrigin: 'http://127.0.0.1.example.com' })).toThrow(ExploOptionError);
  });
});

describe('origins as Explo needs them', () => {
  it('adds the trailing slash; refuses what Explo would not match', () => {
    expect(toExploOrigin('https://app.example.com')).toBe('https://app.example.com/');
    expect(toExploOrigin('https://app.example.com:8443/')).toBe('https://app.example.com:8443/');
    expect(() => toExploOrigin('https:app.example.com/')).toThrow(/"\/\/" after the scheme/);
    expect(() => toExploOrigin('https://app.example.com/app')).toThrow(/no path/);
  });

  it('the iss claim refuses the form Explo’s own docs print', () => {
    expect(() => createExploEmbed({ secret: KEY, dashboards: { a: 'b' }, claims: { iss: 'https:app.example.com/' } })).toThrow(
      expect.objectContaining({ option: 'claims' }),
    );
  });
});
