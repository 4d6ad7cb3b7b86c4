// Builds the script-tag bundle (a global `ExploEmbed`) and measures what ships: that file, and what a
// bundler makes of the published ESM (dist/index.js, minified). dist/size.json holds the figures the
// README states (a test compares them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src/index.ts');
const outdir = join(root, 'dist');
mkdirSync(outdir, { recursive: true });

const common = { bundle: true, minify: true, target: 'es2022', write: false, legalComments: 'none' };
const [iife, esm] = await Promise.all([
  build({ ...common, entryPoints: [entry], format: 'iife', globalName: 'ExploEmbed' }),
  build({ ...common, entryPoints: [join(outdir, 'index.js')], format: 'esm' }),
]);
const script = iife.outputFiles[0].contents;
writeFileSync(join(outdir, 'explo-embed-browser.min.js'), script);
const size = (bytes) => ({ min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
const report = { script: size(script), esm: size(esm.outputFiles[0].contents) };
writeFileSync(join(outdir, 'size.json'), `${JSON.stringify(report, null, 2)}\n`);
if (!process.env.CI || process.env.BUNDLE_VERBOSE) {
  console.log(
    `@explo-embed/browser: script ${report.script.min} B min, ${report.script.gzip} B min+gzip; esm ${report.esm.gzip} B min+gzip`,
  );
}
