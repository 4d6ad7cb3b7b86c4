import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { componentContract } from '../../../test/contract/component-contract.js';

// <ExploDashboard> for Vue in Chromium, built as a Vite app's production bundle would be.
componentContract({
  name: '@explo-embed/vue',
  async bundle() {
    const result = await build({
      stdin: {
        contents: `
          import { createApp, h } from 'vue';
          import { ExploDashboard } from './src/index.ts';
          createApp({
            render: () =>
              h(ExploDashboard, {
                dashboard: 'sales', appUrl: window.STAND_IN, mode: window.MODE, bundleUrl: window.BUNDLE_URL,
                style: { width: '100%', height: '400px' },
                onToken: (token) => window.log.push(token.jwt),
              }),
          }).mount('#app');`,
        resolveDir: fileURLToPath(new URL('..', import.meta.url)),
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      define: {
        'process.env.NODE_ENV': '"production"',
        __VUE_OPTIONS_API__: 'true',
        __VUE_PROD_DEVTOOLS__: 'false',
        __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
      },
    });
    return result.outputFiles[0]?.text ?? '';
  },
});
