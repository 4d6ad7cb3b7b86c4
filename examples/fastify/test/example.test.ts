import { fileURLToPath } from 'node:url';
import { runExampleContract } from '../../../test/contract/example-contract.js';
import { startServerProcess } from '../../../test/support/example-process.js';

// In its own process: @fastify/cookie needs the ESM-only `cookie` 2, which Jest on Node 20 cannot require().
const dir = fileURLToPath(new URL('..', import.meta.url));
runExampleContract({
  name: 'fastify',
  dir,
  start: (env) => startServerProcess('example-fastify', dir, ['--import', 'tsx', 'src/server.ts'], env),
});
