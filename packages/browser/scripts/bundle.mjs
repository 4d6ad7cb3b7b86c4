// Builds the script-tag bundle (a global `ExploEmbed`) and measures what ships: that file, and what a
// bundler makes of the published ESM (dist/index.js, minified). dist/size.json holds the figures the
// README states (a test compares them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');
mkdirSync(outdir, { recursive: true });

const common = { bundle: true, minify: true, target: 'es2022', write: false, legalComments: 'none' };
const [iife, esm] = await Promise.all([
  // The global is set by hand: esbuild's `globalName` adds CommonJS interop helpers (about 120 B gzipped).
  build({
    ...common,
    stdin: {
      contents: `import { keepExploJwtFresh } from './src/index.ts'; globalThis.ExploEmbed = { keepExploJwtFresh };`,
      resolveDir: root,
      loader: 'ts',
    },
    format: 'iife',
  }),
  build({ ...common, entryPoints: [join(outdir, 'index.js')], format: 'esm' }),
]);
const script = iife.outputFiles[0].contents;
writeFileSync(join(outdir, 'explo-embed-browser.min.js'), script);
const size = (bytes) => ({ min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
const report = { script: size(script), esm: size(esm.outputFiles[0].contents) };
writeFileSync(join(outdir, 'size.json'), `${JSON.stringify(report, null, 2)}\n`);
// The budget: 4 KB (4 096 B) min+gzip for each build. Over it, the build fails. (It was 3 KB until
// auto-height and the checks on messages between tabs joined the helper, 3.5 KB until the load
// watchdog did: most of its ~450 B is the message that says why a dashboard never loaded.)
const BUDGET = 4096;
for (const [name, { gzip }] of Object.entries(report)) {
  if (gzip > BUDGET) {
    console.error(`@explo-embed/browser: the ${name} build is ${gzip} B min+gzip, over its ${BUDGET} B budget.`);
    process.exit(1);
  }
}
if (!process.env.CI || process.env.BUNDLE_VERBOSE) {
  console.log(
    `@explo-embed/browser: script ${report.script.min} B min, ${report.script.gzip} B min+gzip; esm ${report.esm.gzip} B min+gzip`,
  );
}
