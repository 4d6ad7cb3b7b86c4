import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll } from '@jest/globals';
import { componentContract } from '../../../test/contract/component-contract.js';
import { compiledDir } from './support/compiled.js';

// <explo-embed-dashboard> in Chromium, built as an Angular app's production bundle is (see
// support/page-bundle.mjs): compiled as published, linked by Angular's linker.
let compiled: string;
beforeAll(() => {
  compiled = compiledDir();
}, 180_000);

componentContract({
  name: '@explo-embed/angular',
  async bundle() {
    const script = fileURLToPath(new URL('support/page-bundle.mjs', import.meta.url));
    return execFileSync(process.execPath, [script, compiled], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  },
});
