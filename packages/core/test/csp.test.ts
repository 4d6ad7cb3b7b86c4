import { describe, expect, it } from '@jest/globals';
import helmet from 'helmet';
import { createExploEmbed, exploCspSources, toExploOrigin, withExploCsp } from '../src/index.js';
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
