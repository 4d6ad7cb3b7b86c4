import { type ApiBudget, createApiBudget } from '../api/api-budget.js';
import { MAX_RETRY_AFTER_MS } from '../api/api-request.js';
import type { ResolvedApiOptions } from '../api/resolve-api-options.js';
import { ExploStoreError } from '../errors/errors.js';
import { sha256Base64url } from '../lib/digest.js';
import type { Timers } from '../lib/timers.js';
import { withTimeout } from '../lib/with-timeout.js';
import type { Reporter } from '../operations/reporter.js';
import type { ExploTokenStore } from '../options/options.js';
import { createFleetBudget } from './fleet-budget.js';
import { createFleetLock, type FleetLock, LEASE_MS } from './fleet-lock.js';
import {
  type Attempt,
  DEFAULT_PREFIX,
  type FleetRedis,
  type NodeRedisModule,
  type RedisSetting,
  resolveRedis,
} from './redis-client.js';

/** What the pipeline shares with the other instances of a fleet, or keeps to itself without Redis. */
export interface Fleet {
  /** The Redis connection, when there is one. */
  readonly redis: FleetRedis | undefined;
  /** What every key of this app starts with (`redis.prefix`). */
  readonly prefix: string;
  /** Token reuse through Redis (a store for the shared-token layer), when there is Redis. */
  readonly store: ExploTokenStore | undefined;
  /** The budget of Explo API calls: the fleet's in Redis, else this process's. */
  budget(api: ResolvedApiOptions): ApiBudget;
  /** Single flight of API mints across instances (renewed while its owner mints), when there is Redis. */
  lock(api: ResolvedApiOptions): FleetLock | undefined;
  /** Runs one Redis operation (see {@link Attempt}). */
  readonly attempt: Attempt;
  /** How long one Redis operation may take. */
  readonly timeoutMs: number;
  /** For `health()`: `undefined` without Redis. */
  status(): 'ready' | 'down' | undefined;
  /** Closes a Redis connection this library opened. */
  close(): Promise<void>;
}

const REPORT_EVERY_MS = 60_000;
const MAX_ENTRY_BYTES = 16_384;
/** After a failure, how long an instance works alone before it asks Redis again. */
const RETRY_AFTER_MS = 5_000;
/** Fleet operations wait at least this long: a loaded process answers late, and a false alarm costs sharing. */
const MIN_TIMEOUT_MS = 1_000;
/** However its options add up, no instance waits on another's mint longer than this. */
const MAX_HOLD_MS = 300_000;

export function createFleet(
  setting: RedisSetting | undefined,
  settings: { timeoutMs: number; clock: () => number; loadRedis: (() => NodeRedisModule) | undefined },
  timers: Timers,
  reporter: Reporter,
): Fleet {
  const { timeoutMs, clock } = settings;
  let lastDown: number | undefined;
  let reportedAt: number | undefined;
  const down = (cause: unknown) => {
    const now = clock();
    lastDown = now;
    if (reportedAt !== undefined && now - reportedAt < REPORT_EVERY_MS) return;
    reportedAt = now;
    const why = cause instanceof Error && /^no answer within \d+ ms$/.test(cause.message) ? cause.message : 'it failed';
    reporter.failed(
      new ExploStoreError(
        `Redis did not answer (${why}): this instance goes on alone, with its share of the API budget and its own single flight.`,
        { cause },
      ),
      { phase: 'store' },
    );
  };
  const redis = setting === undefined ? undefined : resolveRedis(setting.connection, down, settings.loadRedis);
  const prefix = setting?.prefix ?? DEFAULT_PREFIX;
  // A budget count none of this app's instances could have written: counted alone, said once a minute.
  let foreignReportedAt: number | undefined;
  const foreign = (why: string, share: number) => {
    const now = clock();
    if (foreignReportedAt !== undefined && now - foreignReportedAt < REPORT_EVERY_MS) return;
    foreignReportedAt = now;
    reporter.failed(
      new ExploStoreError(
        `Redis holds a count of Explo API calls for this app that none of its instances could have written (${why}): this instance counts its own calls meanwhile, at most ${share} a minute. Something else writes this app's keys: give each app its own redis.prefix, and a Redis ACL that confines it to its keys.`,
      ),
      { phase: 'store' },
    );
  };
  const waitMs = Math.max(timeoutMs, MIN_TIMEOUT_MS);
  let firstConnection: Promise<void> | undefined;
  // Whether an operation is tried now: connected, and not within a few seconds of a failure.
  const usable = () => redis?.connected() === true && !(lastDown !== undefined && clock() - lastDown < RETRY_AFTER_MS);
  const attempt: Attempt = async (work) => {
    if (redis === undefined) throw new Error('no Redis');
    // The first connection of a URL given at startup: worth waiting for, once, rather than starting
    // alone. If it does not come in time, Redis counts as down (and is tried again later).
    if (!redis.connected() && redis.connecting !== undefined) {
      firstConnection ??= withTimeout(() => redis.connecting as Promise<unknown>, waitMs).then(
        () => {},
        () => down(new Error(`no connection within ${waitMs} ms`)),
      );
      await firstConnection;
    }
    if (!usable()) {
      throw new Error('Redis is down: this instance works alone for now');
    }
    try {
      return await withTimeout(work, waitMs);
    } catch (error) {
      down(error);
      throw error;
    }
  };
  const status = (): 'ready' | 'down' | undefined => {
    if (redis === undefined) return undefined;
    const recent = lastDown !== undefined && clock() - lastDown < REPORT_EVERY_MS;
    return redis.connected() && !recent ? 'ready' : 'down';
  };
  const store: ExploTokenStore | undefined =
    redis === undefined
      ? undefined
      : {
          // Through `attempt`: while Redis is down, a read is a miss and a write is skipped, at once.
          // A token entry is about 2 KiB: nothing longer is read (a huge value written by someone else
          // would otherwise stall this process), and what is cut off does not parse: a miss.
          get: (key) =>
            attempt(() => redis.command('GETRANGE', key, '0', String(MAX_ENTRY_BYTES - 1))).then(
              (text) => (typeof text === 'string' ? parseOrNothing(text) : undefined),
              () => undefined,
            ),
          set: (key, entry, ttl) =>
            attempt(() => redis.command('SET', key, JSON.stringify(entry), 'PX', String(Math.max(1, ttl ?? 1)))).catch(
              () => undefined,
            ),
        };
  return {
    redis,
    prefix,
    store,
    budget(api) {
      const { rateLimit } = api;
      if (redis === undefined) return createApiBudget(rateLimit, clock, timers);
      const share = { ...rateLimit, perMinute: Math.max(1, Math.floor(rateLimit.perMinute * rateLimit.localShare)) };
      // This app's and this Explo account's own (a digest: no API token in Redis); apart from every other app's.
      const account = sha256Base64url(`${api.url}\u0000${api.token}`).slice(0, 22);
      const count = `${prefix}:budget:{${account}}`;
      return createFleetBudget(
        redis,
        { count, pause: `${count}:paused` },
        rateLimit,
        createApiBudget(share, clock, timers),
        timers,
        attempt,
        { foreign: (why) => foreign(why, share.perMinute), usable },
      );
    },
    lock(api) {
      if (redis === undefined) return undefined;
      // The longest one mint may take: each attempt's budget wait and exchange, and the pause after it.
      const attempts = api.retries + 1;
      const holdMs = Math.min(MAX_HOLD_MS, attempts * (api.rateLimit.maxWaitMs + api.timeoutMs + MAX_RETRY_AFTER_MS) + 1_000);
      return createFleetLock(redis, { prefix, leaseMs: LEASE_MS, holdMs, clock }, timers, attempt);
    },
    attempt,
    timeoutMs: waitMs,
    status,
    close: () => redis?.close() ?? Promise.resolve(),
  };
}

// Anything at a token's key that is not JSON (another app's value) is no token: a miss, not a failure.
function parseOrNothing(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
