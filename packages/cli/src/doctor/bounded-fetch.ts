import { quoteHostile } from '../terminal-safe.js';

/** Limits on one exchange with the page's server: it is read as hostile input. */
export interface FetchLimits {
  /** The whole exchange, body included. */
  timeoutMs: number;
  /** Bytes of body read at most; the rest is dropped (`truncated`). */
  maxBytes: number;
  /** This machine's clock, read when the answer's headers arrive. */
  now: () => number;
}

/** An answer, read within the limits. A redirect is an answer like any other: never followed. */
export interface BoundedResponse {
  status: number;
  headers: Headers;
  body: string;
  /** The body was longer than `maxBytes`. */
  truncated: boolean;
  /** Bytes of body read. */
  bytes: number;
  /** This machine's time when the headers arrived (to compare with the `Date` header). */
  receivedAt: number;
}

/** What became of a fetch: an answer, or why there was none (plain words, nothing from the server). */
export type FetchOutcome = { ok: true; response: BoundedResponse } | { ok: false; reason: string };

/**
 * GET `url` with `headers`, following no redirect, giving up after `timeoutMs` and reading at
 * most `maxBytes` of the body. Never throws.
 */
export async function fetchBounded(url: URL, headers: Record<string, string>, limits: FetchLimits): Promise<FetchOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    const response = await fetch(url, { headers, redirect: 'manual', signal: controller.signal, cache: 'no-store' });
    const receivedAt = limits.now();
    const { body, bytes, truncated } = await readCapped(response, limits.maxBytes);
    return { ok: true, response: { status: response.status, headers: response.headers, body, bytes, truncated, receivedAt } };
  } catch (error) {
    return { ok: false, reason: controller.signal.aborted ? `no answer within ${limits.timeoutMs / 1000} s` : describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<{ body: string; bytes: number; truncated: boolean }> {
  if (!response.body) return { body: '', bytes: 0, truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let truncated = false;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    const room = maxBytes - bytes;
    chunks.push(next.value.byteLength > room ? next.value.subarray(0, room) : next.value);
    bytes += Math.min(room, next.value.byteLength);
    if (next.value.byteLength > room) {
      truncated = true;
      await reader.cancel().catch(() => {});
      break;
    }
  }
  // A character cut at the cap decodes as U+FFFD: harmless.
  return { body: new TextDecoder().decode(Buffer.concat(chunks)), bytes, truncated };
}

// Node's fetch fails with "fetch failed" and the reason in `cause.code`; only a code of the
// expected shape is shown (a message could carry text from the server).
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause?.message === 'bad port') return 'fetch refuses this port (browsers block it too)';
  const code = typeof cause?.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(cause.code) ? cause.code : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'UND_ERR_HEADERS_OVERFLOW':
      return "the answer's headers are too large";
    case undefined:
      return 'the request failed';
    default:
      return `the request failed (${code})`;
  }
}

/** An answer's status in words: `HTTP 302 to "/login" (not followed)`, or `HTTP 503 ("ERR_...")` from a problem answer. */
export function status(answer: BoundedResponse): string {
  const location = answer.headers.get('location');
  if (answer.status >= 300 && answer.status < 400 && location !== null) {
    return `HTTP ${answer.status} to ${quoteHostile(location, 120)} (not followed)`;
  }
  const code = (jsonObject(answer.body) as { code?: unknown } | undefined)?.code;
  return `HTTP ${answer.status}${typeof code === 'string' ? ` (${quoteHostile(code, 40)})` : ''}`;
}

/** A body parsed as a JSON object, or undefined. */
export function jsonObject(body: string): object | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
