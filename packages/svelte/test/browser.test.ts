import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import esbuildSvelte from 'esbuild-svelte';
import { componentContract } from '../../../test/contract/component-contract.js';

// esbuild-svelte's types describe its CommonJS build; imported from ESM, its default is the plugin itself.
const sveltePlugin = esbuildSvelte as unknown as typeof esbuildSvelte.default;

// <ExploDashboard> for Svelte in Chromium, its .svelte files compiled as a Vite app's bundle would be.
componentContract({
  name: '@explo-embed/svelte',
  async bundle() {
    const result = await build({
      stdin: {
        contents: `
          import { mount } from 'svelte';
          import { ExploDashboard } from './src/index.ts';
          mount(ExploDashboard, {
            target: document.getElementById('app'),
            props: {
              dashboard: 'sales', appUrl: window.STAND_IN, mode: window.MODE, bundleUrl: window.BUNDLE_URL,
              style: 'width: 100%; height: 400px',
              onToken: (token) => window.log.push(token.jwt),
            },
          });`,
        resolveDir: fileURLToPath(new URL('..', import.meta.url)),
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['svelte', 'browser'],
      write: false,
      logLevel: 'silent',
      plugins: [sveltePlugin({ compilerOptions: { generate: 'client' } })],
    });
    return result.outputFiles[0]?.text ?? '';
  },
});
