import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EXAMPLE_ENV, runExampleContract } from '../../../test/contract/example-contract.js';
import { type ExampleProcess, startServerProcess } from '../../../test/support/example-process.js';

const dir = fileURLToPath(new URL('..', import.meta.url));

// `pnpm start` builds, then serves: the contract needs the build first (about 10 s on two cores).
beforeAll(async () => {
  await promisify(execFile)(process.execPath, [fileURLToPath(import.meta.resolve('next/dist/bin/next')), 'build'], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: '', NEXT_TELEMETRY_DISABLED: '1' },
    maxBuffer: 16 * 2 ** 20,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`next build failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  });
}, 240_000);

// In its own process, as Next.js runs: the custom server (src/server.ts) around the build.
runExampleContract({
  name: 'nextjs',
  dir,
  start: (env) => startServerProcess('example-nextjs', dir, ['--import', 'tsx', 'src/server.ts'], env),
});

describe('example nextjs: a server component', () => {
  let app: ExampleProcess;
  beforeAll(async () => {
    app = await startServerProcess('example-nextjs', dir, ['--import', 'tsx', 'src/server.ts'], EXAMPLE_ENV);
  });
  afterAll(() => app.close());

  it('gets the token through explo.page(await headers()): the signed-in customer’s, none when logged out', async () => {
    const loggedOut = await (await fetch(`${app.url}/server-rendered`)).text();
    expect(loggedOut).toContain('Please log in.');
    const cookie = await app.login('customer_rsc');
    const page = await (await fetch(`${app.url}/server-rendered`, { headers: { cookie } })).text();
    const jwt = /src="https:\/\/app\.explo\.co\/iframe\/([^/"]+)\/production"/.exec(page)?.[1];
    expect(jwt).toBeDefined();
    const { keyId, keyValue } = { keyId: EXAMPLE_ENV.EXPLO_KEY_ID, keyValue: EXAMPLE_ENV.EXPLO_KEY_VALUE };
    expect((await decryptExploJwt(jwt as string, { keyId, keyValue })).claims).toMatchObject({
      cst: 'customer_rsc',
      dsh: 'emb-sales',
    });
  });
});
