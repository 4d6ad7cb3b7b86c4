import { describe, expect, it } from '@jest/globals';
// @ts-expect-error: plain ESM helper shared with Jest's global teardown, no type declarations.
import { findLeaks, harvestSecrets } from '../support/leak-scan-core.mjs';

describe('the secret-leak scanner', () => {
  it('harvests the suite’s key values and API tokens from the test sources', () => {
    const secrets: string[] = harvestSecrets(process.cwd());
    expect(secrets).toEqual(
      expect.arrayContaining(['k3y-value-for-tests-only-32bytes', 'explo-api-token-do-not-leak-0123456789']),
    );
    expect(secrets.length).toBeGreaterThan(10);
  });

  it('finds a planted secret and masks it in its report', () => {
    const leaks = findLeaks(
      [
        { kind: 'response', where: 'a.test.ts', text: '200 {"jwt":"x"}' },
        { kind: 'console.error', where: 'b.test.ts', text: 'oops k3y-value-for-tests-only-32bytes' },
      ],
      ['k3y-value-for-tests-only-32bytes'],
    );
    expect(leaks).toEqual([{ kind: 'console.error', where: 'b.test.ts', secret: 'k3y...(32 chars)' }]);
  });
});
