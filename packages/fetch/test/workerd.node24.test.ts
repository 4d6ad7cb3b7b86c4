import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { type AdapterFactory, runAdapterContract } from '../../../test/contract/adapter-contract.js';
import { listen } from '../../../test/support/http.js';

// The adapter contract in workerd (Cloudflare's runtime, through Miniflare from npm), with no
// nodejs_compat flag: the built package bundled as wrangler bundles a Worker (conditions workerd,
// worker, browser; platform neutral, so a node: import fails the build), run by workerd. Miniflare
// needs Node 22 or later: this file runs in `pnpm test`'s Node 24 step (scripts/test-node24.ts),
// where the test's hooks stay in this process and the Worker calls them through a service binding.
// Each app the suite starts gets a loopback address here that forwards to the one Worker.
type ContractOptions = Parameters<AdapterFactory['start']>[0];

const worker = fileURLToPath(new URL('./fixtures/workerd-contract-worker.mjs', import.meta.url));
const apps = new Map<string, ContractOptions>();
let mf: Miniflare;
let inputs: string[] = [];
let next = 0;

/** Runs hook `hook` of app `id`'s options for the Worker: `{ value }`, or `{ threw: true }`. */
async function callHook(request: Request): Promise<Response> {
  const { id, hook, args } = (await request.json()) as { id: string; hook: string; args: unknown[] };
  const options = apps.get(id) as Record<string, unknown> & ContractOptions;
  const [name, method] = hook.split('.') as [string, string | undefined];
  const target = options[name];
  try {
    const fn = (method === undefined ? target : (target as Record<string, unknown>)[method]) as (...args: unknown[]) => unknown;
    const value = await fn.apply(method === undefined ? undefined : target, hook === 'onMint' ? [revive(args[0])] : args);
    return Response.json({ value: value ?? null });
  } catch {
    return Response.json({ threw: true });
  }
}
const revive = (event: unknown) => ({ ...(event as object), expiresAt: new Date((event as { expiresAt: string }).expiresAt) });

/** Options as JSON, each function (and the logger) replaced by its name. */
function serialize(options: ContractOptions): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).map(([name, value]) => [
      name,
      typeof value === 'function' || name === 'logger' ? { $hook: name } : value,
    ]),
  );
}

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [worker],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    // The repository's tsconfig maps @explo-embed/* to sources: resolve as wrangler does for an app.
    tsconfigRaw: '{}',
    metafile: true,
    logLevel: 'silent',
  });
  inputs = Object.keys(bundle.metafile.inputs);
  mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]?.text ?? '',
    // Before Node.js compatibility became the default (2026-08-04), and no nodejs_compat flag.
    compatibilityDate: '2025-09-01',
    serviceBindings: { HOST: callHook },
  });
  await mf.ready;
}, 120_000);
afterAll(async () => {
  await mf?.dispose();
});

describe('the Worker bundle', () => {
  it('is the edge entry of the core, with no node: module and no Node entry', () => {
    expect(inputs.some((input) => input.includes('core/dist/edge/'))).toBe(true);
    expect(inputs.filter((input) => /node-platform|encrypt-node|^node:/.test(input))).toEqual([]);
  });
});

/** Forwards a loopback request to the Worker, naming the app and the clock. */
async function forward(id: string, options: ContractOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = { 'x-contract-app': id };
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
  if (options.clock) headers['x-contract-clock'] = String(options.clock());
  const response = await mf.dispatchFetch(`http://${req.headers.host}${req.url}`, {
    method: req.method,
    headers,
    body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    redirect: 'manual',
  });
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}

runAdapterContract({
  name: 'Fetch in workerd (no nodejs_compat)',
  start: async (options) => {
    const id = String(next++);
    apps.set(id, options);
    const started = await mf.dispatchFetch('http://contract/__contract/start', {
      method: 'POST',
      body: JSON.stringify({ id, options: serialize(options) }),
    });
    if (started.status !== 204) throw new Error(`the Worker did not start app ${id}: ${await started.text()}`);
    const server = await listen(createServer((req, res) => void forward(id, options, req, res)));
    return {
      url: server.url,
      close: async () => {
        await server.close();
        apps.delete(id);
      },
    };
  },
});
