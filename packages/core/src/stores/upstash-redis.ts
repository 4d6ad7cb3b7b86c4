import { ExploOptionError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import { knownKeys } from '../lib/option-checks.js';

/** Options of {@link upstashRedis}: the database's REST URL and token, as Upstash's console shows them. */
export interface UpstashRedisOptions {
  /** `UPSTASH_REDIS_REST_URL`: `https:` (plain `http:` only on loopback, for a local stand-in). */
  url: string;
  /** `UPSTASH_REDIS_REST_TOKEN`. Sent as a bearer token; never logged or echoed. */
  token: string;
}

/**
 * Redis over HTTP, for the `redis` option where there is no TCP (Vercel Edge, Workers, Deno Deploy)
 * or none is wanted: Upstash's REST protocol, each command a JSON array POSTed with the bearer
 * token, each answer `{ "result": ... }`. Shaped like a connected node-redis client (the commands
 * the fleet sends, and the `eval` and `multi` that rate-limiter-flexible's Redis limiter uses), so
 * everything `redis` shares (token reuse, the API budget, single flight, the fresh budget) works
 * on it, on every runtime.
 */
export interface UpstashRedisClient {
  /** Always true: each command is its own request, and a failed one fails alone. */
  readonly isReady: boolean;
  /** Sends one command: `["SET", "key", "value"]`. Rejects on an HTTP or Redis error (never with the token in it). */
  sendCommand(args: string[]): Promise<unknown>;
  /** `EVAL`, as node-redis takes it. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** A transaction (Upstash's `/multi-exec`), as node-redis builds one, for the commands the limiter uses. */
  multi(): UpstashTransaction;
}

/** The commands of a transaction that rate-limiter-flexible uses. */
export interface UpstashTransaction {
  /** `SET key value [EX s | PX ms]`. */
  set(key: string, value: string | number, options?: { EX?: number; PX?: number }): UpstashTransaction;
  /** `GET key`. */
  get(key: string): UpstashTransaction;
  /** `INCRBY key by`. */
  incrBy(key: string, by: number): UpstashTransaction;
  /** `PTTL key`. */
  pTTL(key: string): UpstashTransaction;
  /** Runs the commands as one transaction; resolves to their results, in order (rejects if any failed). */
  exec(raw?: boolean): Promise<unknown[]>;
}

/** The most of one answer that is read: a token entry is about 2 KiB. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** A request still unanswered after this is abandoned (the fleet has long given up on it: see `reuse.storeTimeout`). */
const REQUEST_TIMEOUT_MS = 10_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const TOKEN_SHAPE = /^[\x21-\x7e]{8,4096}$/;

/**
 * A client for Upstash's Redis REST API, to pass as `redis`:
 * `redis: upstashRedis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN })`.
 * Checks its options at once (`ERR_EXPLO_OPTION_INVALID`, naming the field, never the token).
 */
export function upstashRedis(options: UpstashRedisOptions): UpstashRedisClient {
  const v = knownKeys(options, ['url', 'token'], 'upstashRedis', '{ url, token }');
  const url = restUrl(v.url);
  if (typeof v.token !== 'string' || !TOKEN_SHAPE.test(v.token)) {
    throw new ExploOptionError(
      'upstashRedis.token',
      typeof v.token === 'string' && v.token.trim() !== v.token
        ? 'has leading or trailing whitespace (often a newline from an env file): trim it.'
        : 'must be the REST token Upstash shows (UPSTASH_REDIS_REST_TOKEN).',
    );
  }
  const token = v.token;
  const post = async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    // A proxy or an error page may echo the request's headers: the token is never repeated.
    const text = (await readCapped(response)).split(token).join('[the REST token]');
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new Error(`Upstash answered HTTP ${response.status} with something that is not JSON: ${quoteUntrusted(text, 40)}`);
    }
    if (response.status === 401 || response.status === 403) {
      throw new Error(`Upstash refused the REST token (HTTP ${response.status}): check upstashRedis's token`);
    }
    return answer;
  };
  const resultOf = (answer: unknown): unknown => {
    const { result, error } = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>;
    if (error !== undefined) throw new Error(`Redis (over Upstash's REST API) answered an error: ${quoteUntrusted(error, 80)}`);
    if (result === undefined) throw new Error('Upstash answered without a result');
    return result;
  };
  const sendCommand = async (args: string[]) => resultOf(await post('', args));
  return {
    isReady: true,
    sendCommand,
    eval: (script, { keys, arguments: args }) => sendCommand(['EVAL', script, String(keys.length), ...keys, ...args]),
    multi() {
      const commands: string[][] = [];
      const add = (...command: string[]) => {
        commands.push(command);
        return transaction;
      };
      const transaction: UpstashTransaction = {
        set(key, value, expiry) {
          const ttl =
            expiry?.PX !== undefined ? ['PX', String(expiry.PX)] : expiry?.EX !== undefined ? ['EX', String(expiry.EX)] : [];
          return add('SET', key, String(value), ...ttl);
        },
        get: (key) => add('GET', key),
        incrBy: (key, by) => add('INCRBY', key, String(by)),
        pTTL: (key) => add('PTTL', key),
        async exec() {
          const answers = await post('/multi-exec', commands);
          if (!Array.isArray(answers) || answers.length !== commands.length) {
            throw new Error(`Upstash answered a transaction of ${commands.length} commands with ${quoteUntrusted(answers)}`);
          }
          return answers.map(resultOf);
        },
      };
      return transaction;
    },
  };
}

function restUrl(value: unknown): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed && (parsed.username || parsed.password)) {
    throw new ExploOptionError('upstashRedis.url', 'must not carry credentials (user:password@); the token goes in token.');
  }
  if (!parsed || !['https:', 'http:'].includes(parsed.protocol) || parsed.search || parsed.hash) {
    throw new ExploOptionError(
      'upstashRedis.url',
      'must be the database’s REST URL, such as "https://eu1-example-12345.upstash.io".',
    );
  }
  if (parsed.protocol === 'http:' && !LOOPBACK.has(parsed.hostname)) {
    throw new ExploOptionError('upstashRedis.url', 'must use https: over plain http the REST token would travel unencrypted.');
  }
  return parsed.href.replace(/\/+$/, '');
}

// Past the cap the exchange is aborted, not drained: a huge answer (someone else's value) costs nothing.
async function readCapped(response: Response): Promise<string> {
  if (Number(response.headers.get('content-length')) > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    throw new Error(`Upstash answered more than ${MAX_ANSWER_BYTES / 1024} KiB`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new Error(`Upstash answered more than ${MAX_ANSWER_BYTES / 1024} KiB`);
    }
    text += decoder.decode(next.value, { stream: true });
  }
  return text + decoder.decode();
}
