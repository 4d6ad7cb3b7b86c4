// `node compile.mjs <client|server> <out.mjs>`: the package's entry from source, its .svelte files
// compiled for the browser or the server, svelte and the browser layer left as imports. In its own
// process: esbuild cannot run inside Jest's jsdom environment.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import sveltePlugin from 'esbuild-svelte';

const [generate, out] = process.argv.slice(2);
const result = await build({
  entryPoints: [fileURLToPath(new URL('../../src/index.ts', import.meta.url))],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  write: false,
  logLevel: 'silent',
  external: ['svelte', 'svelte/*', '@explo-embed/browser', '@explo-embed/browser/*'],
  plugins: [sveltePlugin({ compilerOptions: { generate } })],
});
writeFileSync(out, result.outputFiles[0].text);
