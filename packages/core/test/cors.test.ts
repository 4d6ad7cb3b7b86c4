import { describe, expect, it } from '@jest/globals';
import { createExploAdapter } from '../src/adapter.js';
import { corsHeaders, resolveCors } from '../src/route/cors.js';
import { KEY } from './fixtures.js';

const adapterWith = (cors: unknown) =>
  createExploAdapter({ secret: KEY, dashboards: { sales: 'emb' }, cors: cors as never }, () => 'acme');

describe('the cors option (checked once, at setup)', () => {
  it.each([
    ['not an object', 'https://app.example.com', 'cors'],
    ['no origins', {}, 'cors.origins'],
    ['empty origins', { origins: [] }, 'cors.origins'],
    ['a wildcard', { origins: ['*'] }, 'cors.origins[0]'],
    ['"null"', { origins: ['null'] }, 'cors.origins[0]'],
    ['a path', { origins: ['https://app.example.com/app'] }, 'cors.origins[0]'],
    ['no scheme slashes', { origins: ['https:app.example.com'] }, 'cors.origins[0]'],
    ['another scheme', { origins: ['ftp://app.example.com'] }, 'cors.origins[0]'],
    ['credentials not boolean', { origins: ['https://a.example'], credentials: 'yes' }, 'cors.credentials'],
    ['a bad header name', { origins: ['https://a.example'], allowHeaders: ['x y'] }, 'cors.allowHeaders'],
    ['maxAge too long', { origins: ['https://a.example'], maxAge: '2d' }, 'cors.maxAge'],
    ['misspelt key', { origin: ['https://a.example'] }, 'cors.origin'],
  ])('refuses %s with ERR_EXPLO_OPTION_INVALID naming the field', (_name, cors, option) => {
    expect(() => adapterWith(cors)).toThrow(expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID', option }));
  });

  it('normalises origins and answers only exact matches, with Vary: Origin either way', () => {
    const cors = resolveCors({ origins: ['HTTPS://App.Example.com:443'], allowHeaders: [], maxAge: 60 });
    expect(cors && [...cors.origins]).toEqual(['https://app.example.com']);
    expect(cors?.preflight).toEqual({ 'access-control-allow-methods': 'GET', 'access-control-max-age': '60' });
    if (!cors) throw new Error('expected settings');
    expect(corsHeaders(cors, 'https://app.example.com')).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      vary: 'Origin',
    });
    for (const origin of [undefined, 'https://app.example.com:8443', 'http://app.example.com', 'https://evil.example']) {
      expect(corsHeaders(cors, origin)).toEqual({ vary: 'Origin' });
    }
  });

  it('is off by default', () => {
    expect(resolveCors(undefined)).toBeUndefined();
  });
});
