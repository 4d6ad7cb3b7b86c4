// setupFilesAfterEnv: records what the suite shows the outside world (HTTP responses read with
// fetch, console output, errors handed to onError) so the global teardown can check that no key
// value or API token ever appears in any of it.

import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIAGNOSTICS_CHANNELS, type ExploEmbedError } from '@explo-embed/core';
import { afterEach, expect } from '@jest/globals';

const dir = fileURLToPath(new URL('../../test-results/leak-scan/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = join(dir, `${process.pid}.jsonl`);
const where = () => expect.getState().testPath?.replace(/^.*?\/(packages|examples|test)\//, '$1/') ?? 'unknown';

function record(kind: string, text: string): void {
  const line = `${JSON.stringify({ kind, where: where(), text: text.slice(0, 65_536) })}\n`;
  try {
    appendFileSync(file, line);
  } catch {
    // Another run's setup cleared the folder (two runs at once on one checkout): make it again.
    mkdirSync(dir, { recursive: true });
    appendFileSync(file, line);
  }
}

const originalFetch = globalThis.fetch;
globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
  const response = await originalFetch(...args);
  // The library's own calls to Explo's API (or a test's stand-in of it, which may be made hostile,
  // echoing the API token) are what comes in, not what the suite shows: what the library makes of
  // them is scanned where it comes out (errors, logs, responses).
  if (new Headers(args[1]?.headers ?? (args[0] instanceof Request ? args[0].headers : undefined)).has('explo-authorization')) {
    return response;
  }
  const type = response.headers.get('content-type') ?? '';
  // An event stream never ends: it is scanned by its own test, not read here.
  const body =
    /json|text|html|javascript/.test(type) && !/event-stream/.test(type) ? await readSome(response.clone(), 65_536) : '';
  record('response', `${response.status} ${JSON.stringify([...response.headers])} ${body}`);
  return response;
};

// The run is quiet: a test that exercises logging passes a `logger` (or spies on console) and
// asserts on what it got. Anything else that reaches the console is stray output, and fails its test.
const stray: string[] = [];
for (const level of ['log', 'info', 'warn', 'error'] as const) {
  console[level] = (...args: unknown[]) => {
    const text = args.map(String).join(' ');
    record(`console.${level}`, text);
    stray.push(`console.${level}: ${text.slice(0, 300)}`);
  };
}
afterEach(() => {
  const seen = stray.splice(0);
  if (seen.length > 0) {
    throw new Error(`Stray console output (capture it with a logger and assert on it):\n${seen.join('\n')}`);
  }
});

// Every error the middleware handles is published on its diagnostics channel (then given to onError).
subscribe(DIAGNOSTICS_CHANNELS.error, (message) => {
  const { error } = message as { error: ExploEmbedError };
  record('error', `${error.code} ${error.name}: ${error.message}`);
});

/** The first `cap` bytes of a body: enough to scan, and a never-ending answer cannot hang the test. */
async function readSome(response: Response, cap: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let next = await reader.read(); !next.done && size < cap; next = await reader.read()) {
      chunks.push(next.value);
      size += next.value.byteLength;
    }
  } catch {
    // The exchange was aborted: what was read is what there is.
  } finally {
    void reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8');
}
