import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll } from '@jest/globals';
import { runExampleContract } from '../../../test/contract/example-contract.js';
import { startServerProcess } from '../../../test/support/example-process.js';

const dir = fileURLToPath(new URL('..', import.meta.url));

// `pnpm start` builds, then serves: the contract needs the build first (about 10 s on two cores).
beforeAll(async () => {
  await promisify(execFile)(process.execPath, [fileURLToPath(import.meta.resolve('next/dist/bin/next')), 'build'], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: '', NEXT_TELEMETRY_DISABLED: '1' },
    maxBuffer: 16 * 2 ** 20,
  });
}, 240_000);

// In its own process, as Next.js runs: the custom server (src/server.ts) around the build.
runExampleContract({
  name: 'nextjs',
  dir,
  start: (env) => startServerProcess('example-nextjs', dir, ['--import', 'tsx', 'src/server.ts'], env),
});
