import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** An example app running in its own process (so load generator and server do not share a thread). */
export interface ExampleProcess {
  name: string;
  url: string;
  /** Logs a customer in through the example's own POST /login; returns the Cookie header to send. */
  login(customerId: string): Promise<string>;
  close(): Promise<void>;
}

export type ExampleName = 'express' | 'koa' | 'nestjs' | 'fastify' | 'hono' | 'nextjs';

/** Starts `examples/<name>` as Quick start does (`tsx src/server.ts`; Next.js: built first) on a free port. */
export function startExampleProcess(name: ExampleName, env: Record<string, string>): Promise<ExampleProcess> {
  return startServerProcess(
    name,
    fileURLToPath(new URL(`../../examples/${name}/`, import.meta.url)),
    ['--import', 'tsx', 'src/server.ts'],
    env,
  );
}

/**
 * Starts a server (`node <args>` in `cwd`) on a free port and waits for its
 * `listening on http://localhost:<port>` line. Its POST /login takes JSON `{ customerId }`.
 */
export async function startServerProcess(
  name: string,
  cwd: string,
  args: string[],
  env: Record<string, string>,
): Promise<ExampleProcess> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, NODE_OPTIONS: '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output}`)), 30_000);
    child.stdout?.on('data', (d) => {
      output += d;
      const match = /listening on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[1]}`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${output}`));
    });
  });
  return {
    name,
    url,
    async login(customerId) {
      const response = await fetch(`${url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customerId }),
      });
      if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
      return response.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
    },
    close: () =>
      new Promise<void>((resolve) => {
        // 'close', not 'exit': resolved once the child's pipes are closed too, so nothing is left open.
        if (child.exitCode !== null && child.stdout?.destroyed !== false) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
