import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { EdgeRuntime, runServer } from 'edge-runtime';
import { build } from 'esbuild';
import { type AdapterFactory, runAdapterContract } from '../../../test/contract/adapter-contract.js';
import type { ExploFetchOptions } from '../src/index.js';

// The adapter contract inside Vercel's Edge Runtime (the `edge-runtime` package: the same VM and
// Web primitives as Vercel Edge Functions and Next.js `runtime = 'edge'`): the built package
// bundled as Next.js bundles an edge route (condition `edge-light`, no node: module), evaluated in
// an Edge Runtime, served over HTTP on loopback. The hooks the suite passes are the test's own
// functions, called across the VM's boundary as an app's hooks would be.
const fixture = fileURLToPath(new URL('./fixtures/edge-contract-app.mjs', import.meta.url));
let bundle = '';
let inputs: string[] = [];

beforeAll(async () => {
  const result = await build({
    stdin: {
      contents: `import { contractApp } from ${JSON.stringify(fixture)};
        addEventListener('fetch', (event) => event.respondWith(self.__app(event.request)));
        self.__contractApp = contractApp;`,
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      loader: 'js',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    conditions: ['edge-light'],
    mainFields: ['module', 'main'],
    // The repository's tsconfig maps @explo-embed/* to sources: resolve as an app's bundler does.
    tsconfigRaw: '{}',
    metafile: true,
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0]?.text ?? '';
  inputs = Object.keys(result.metafile.inputs);
}, 60_000);

type ContractOptions = Parameters<AdapterFactory['start']>[0];

function fetchOptions({ attach, ...options }: ContractOptions): ExploFetchOptions {
  const customer = (request: Request) => {
    const id = request.headers.get('x-test-customer');
    if (id === '!throw') throw new Error('resolver exploded');
    return id;
  };
  const result: ExploFetchOptions = { ...options, customer };
  if (attach !== undefined) result.attach = attach === 'header' ? (request) => request.headers.has('x-test-attach') : attach;
  return result;
}

type Timers = {
  setTimeout: (run: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => number;
  clearTimeout: (id: number) => void;
};

/**
 * An isolate's timers end with it; this VM lives in the test's process, where a pending one (a
 * rate limiter's minute) would keep Jest running after the suite. Its timers are tracked, and
 * cleared when its server closes.
 */
function trackTimers(context: Timers): () => void {
  const pending = new Set<number>();
  const { setTimeout: set, clearTimeout: clear } = context;
  context.setTimeout = (run, ms, ...args) => {
    const id = set(
      (...given: unknown[]) => {
        pending.delete(id);
        run(...given);
      },
      ms,
      ...args,
    );
    pending.add(id);
    return id;
  };
  context.clearTimeout = (id) => {
    pending.delete(id);
    clear(id);
  };
  return () => {
    for (const id of pending) clear(id);
    pending.clear();
  };
}

describe('the Edge Runtime bundle', () => {
  it('is the edge entry of the core, with no node: module and no Node entry', () => {
    expect(inputs.some((input) => input.includes('core/dist/edge/'))).toBe(true);
    expect(inputs.filter((input) => /node-platform|encrypt-node|^node:/.test(input))).toEqual([]);
  });
});

runAdapterContract({
  name: 'Fetch in the Edge Runtime (edge-light)',
  start: async (options) => {
    const runtime = new EdgeRuntime();
    const stopTimers = trackTimers(runtime.context as unknown as Timers);
    runtime.evaluate(bundle);
    const context = runtime.context as unknown as Record<string, unknown>;
    context.__app = (context.__contractApp as (options: ExploFetchOptions) => unknown)(fetchOptions(options));
    const server = await runServer({ runtime, port: 0, host: '127.0.0.1' });
    return {
      url: server.url.replace(/\/$/, ''),
      close: async () => {
        await server.close();
        stopTimers();
      },
    };
  },
});
