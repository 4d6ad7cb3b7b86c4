import { describe, expect, it } from '@jest/globals';
import type { NativeElements } from 'vue';
import { ExploDashboard } from '../src/index.js';

// Checked by the type-check (tsc -p tsconfig.json): templates know Explo's elements and their attributes.
const dashboard: NativeElements['explo-dashboard'] = { 'dash-jwt': 'a.b.c', environment: 'production', class: 'wide' };
const builder: NativeElements['explo-report-builder'] = { jwt: 'a.b.c', 'locale-code': 'fr-fr' };
// @ts-expect-error: the dashboard's token attribute is `dash-jwt`, not `jwt`.
const wrong: NativeElements['explo-dashboard'] = { jwt: 'a.b.c' };

describe('@explo-embed/vue types', () => {
  it('declares Explo’s elements for templates, and names its components', () => {
    expect([dashboard['dash-jwt'], builder.jwt, Object.keys(wrong)]).toEqual(['a.b.c', 'a.b.c', ['jwt']]);
    expect(ExploDashboard.name).toBe('ExploDashboard');
  });
});
