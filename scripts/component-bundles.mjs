// Builds what tsc cannot (the Svelte package: svelte-package ships its .svelte files and their .d.ts),
// then measures what each framework package adds to an app's bundle over the browser helper: its
// entry bundled and minified with the framework and @explo-embed/browser external (the .svelte files
// compiled as a Svelte app's bundler would), gzip level 9. Writes packages/<name>/dist/size.json;
// over the budget, the build fails. `node scripts/component-bundles.mjs [vue] [svelte]` (default: both).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** 2 KB (2 048 B) min+gzip over the browser helper, for each component package. */
const BUDGET = 2048;
const BROWSER = ['@explo-embed/browser', '@explo-embed/browser/*'];

const PACKAGES = {
  vue: { external: ['vue', ...BROWSER], plugins: async () => [] },
  svelte: {
    external: ['svelte', 'svelte/*', ...BROWSER],
    prepare(dir) {
      const bin = join(dir, 'node_modules/@sveltejs/package/svelte-package.js');
      execFileSync(process.execPath, [bin, '-i', 'src', '-o', 'dist', '-t', 'tsconfig.json'], { cwd: dir, stdio: 'pipe' });
    },
    async plugins(dir) {
      const { default: sveltePlugin } = await import(createRequire(join(dir, 'package.json')).resolve('esbuild-svelte'));
      return [sveltePlugin({ compilerOptions: { generate: 'client' } })];
    },
  },
};

const chosen = process.argv.slice(2).filter((name) => name in PACKAGES);
let failed = false;
for (const name of chosen.length > 0 ? chosen : Object.keys(PACKAGES)) {
  const dir = join(root, 'packages', name);
  const { external, prepare, plugins } = PACKAGES[name];
  try {
    prepare?.(dir);
  } catch (error) {
    console.error(`@explo-embed/${name}: ${String(error.stderr ?? error.message).trim()}`);
    process.exit(1);
  }
  const result = await build({
    entryPoints: [join(dir, 'dist/index.js')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    external,
    plugins: await plugins(dir),
  });
  const code = result.outputFiles[0].contents;
  const esm = { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
  writeFileSync(join(dir, 'dist/size.json'), `${JSON.stringify({ esm, budget: BUDGET }, null, 2)}\n`);
  if (esm.gzip > BUDGET) {
    console.error(`@explo-embed/${name}: ${esm.gzip} B min+gzip over the browser helper, over its ${BUDGET} B budget.`);
    failed = true;
  } else if (!process.env.CI || process.env.BUNDLE_VERBOSE) {
    console.log(`@explo-embed/${name}: ${esm.min} B min, ${esm.gzip} B min+gzip over the browser helper`);
  }
}
if (failed) process.exit(1);
