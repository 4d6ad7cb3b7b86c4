import { describe, expect, it } from '@jest/globals';
import { parseDashboards, readConfig, validCustomerId } from '../src/index.js';

describe('example configuration', () => {
  it('parses EXPLO_DASHBOARDS and rejects malformed lists with the expected format', () => {
    expect(parseDashboards('a=1, b = 2', false)).toEqual({ a: '1', b: '2' });
    expect(() => parseDashboards('a', false)).toThrow(/name=embedId/);
    expect(() => parseDashboards('a=1=2', false)).toThrow(/name=embedId/);
    expect(() => parseDashboards(undefined, false)).toThrow(/EXPLO_DASHBOARDS/);
    expect(parseDashboards(undefined, true)).toEqual({ demo: 'demo-dashboard' });
  });

  it('needs both key variables or neither; without, a 32-byte throwaway key', () => {
    expect(() => readConfig({ EXPLO_KEY_ID: 'x' })).toThrow(/both EXPLO_KEY_ID and EXPLO_KEY_VALUE/);
    const dev = readConfig({});
    expect(dev.ephemeralSecret).toBe(true);
    expect(Buffer.byteLength(dev.secret.keyValue)).toBe(32);
    expect(dev.port).toBe(3000);
    expect(dev.environment).toBe('production');
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('validates demo customer ids', () => {
    expect(validCustomerId(' acme ')).toBe('acme');
    expect(validCustomerId('')).toBeUndefined();
    expect(validCustomerId('a\nb')).toBeUndefined();
    expect(validCustomerId(42)).toBeUndefined();
  });
});
