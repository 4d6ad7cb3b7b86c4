import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, describe, expect, it } from '@jest/globals';

// The built package on Bun and Deno (both installed from npm as dev dependencies), each serving
// real HTTP on loopback with its own server: Bun.serve, Deno.serve.
const KEY = { keyId: '3c2b1a09-8f7e-4d6c-9b5a-493827160504', keyValue: 'bun-and-deno-test-key-32-bytes!!' };
// The binaries themselves, not their npm shims: killing a shim would leave the runtime running.
const bin = (path: string) => fileURLToPath(new URL(`../node_modules/${path}`, import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/runtime-server.mjs', import.meta.url));
const RUNTIMES: [string, string, string[]][] = [
  ['Bun', bin('bun/bin/bun.exe'), [fixture]],
  ['Deno', bin('deno/deno'), ['run', '--allow-net=127.0.0.1', '--allow-env', '--allow-read', '--allow-sys', fixture]],
];

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

async function start(command: string, args: string[]): Promise<string> {
  const child = spawn(command, args, {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      EXPLO_KEY_ID: KEY.keyId,
      EXPLO_KEY_VALUE: KEY.keyValue,
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${output}`)), 20_000);
    const read = (data: Buffer) => {
      output += data;
      const port = /listening on (\d+)/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

describe.each(RUNTIMES)('@explo-embed/fetch on %s', (name, command, args) => {
  it('serves the token route and page tokens for the right customer; refuses without one', async () => {
    const base = await start(command, args);
    const as = { 'x-test-customer': 'acme' };
    const route = await fetch(`${base}/explo/token?dashboard=ops`, { headers: as });
    expect(route.status).toBe(200);
    expect(route.headers.get('cache-control')).toBe('no-store');
    const body = (await route.json()) as { jwt: string; dashboard: string };
    expect(body.dashboard).toBe('ops');
    expect((await decryptExploJwt(body.jwt, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'emb-ops' });
    const refused = await fetch(`${base}/explo/token`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { code: string }).code).toBe('ERR_EXPLO_UNAUTHENTICATED');
    const page = await fetch(`${base}/report`, { headers: as });
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    const pageBody = (await page.json()) as { exploJwt: string; runtime: string };
    expect(pageBody.runtime).toBe(name.toLowerCase());
    expect((await decryptExploJwt(pageBody.exploJwt, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'emb-sales' });
  }, 30_000);
});
