import { sha256Base64url } from '../lib/digest.js';
import type { Timers } from '../lib/timers.js';
import type { Attempt, FleetRedis } from './redis-client.js';

/** Single flight of mints across a fleet. */
export interface FleetLock {
  /**
   * One instance mints a token, the others wait for it: `mint` runs if this instance takes the
   * lock for `key` (renewed while it works, released when it is done); otherwise `read` is asked
   * until the token appears, for as long as the lock is renewed (bounded by `holdMs`), and `mint`
   * runs after all if it does not (or if Redis cannot be reached).
   */
  once<T>(key: string, read: () => Promise<T | undefined>, mint: () => Promise<T>): Promise<T>;
}

/**
 * How long the lock lasts unless its owner renews it: what an owner that died costs the others (as
 * long as they waited before renewal existed). Long enough that a process starved of CPU for
 * seconds on a busy machine still renews in time.
 */
export const LEASE_MS = 10_000;
const POLL_MS = 50;
// Deletes the lock only if it is still this instance's (it may have lapsed and been taken since).
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
// Extends the lease only if the lock is still this instance's: nobody else's lock is ever renewed.
const EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/**
 * The lock over Redis. `leaseMs` is how long it lasts unless renewed (renewed every fifth of it, so
 * four renewals may come late); `holdMs` is the longest one mint may take (every attempt, its budget
 * wait and its `Retry-After` pause): an owner renews no longer, and the others wait no longer.
 */
export function createFleetLock(
  redis: FleetRedis,
  settings: { prefix: string; leaseMs: number; holdMs: number; clock: () => number },
  timers: Timers,
  attempt: Attempt,
): FleetLock {
  const { prefix, leaseMs, holdMs, clock } = settings;
  const renewMs = leaseMs / 5;
  const owner = crypto.randomUUID();
  const lockKey = (key: string) => `${prefix}:lock:${sha256Base64url(key)}`;

  // Renews `name` every renewMs until stopped, the lock is lost (taken by another after a lapse), or holdMs has passed.
  const renewing = (name: string) => {
    const until = clock() + holdMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const renew = () => {
      if (stopped || clock() >= until) return;
      void attempt(() => redis.command('EVAL', EXTEND, '1', name, owner, String(leaseMs))).then(
        (extended) => {
          if (extended === 1) schedule();
        },
        // Redis is down or slow: this instance mints on (the others go on alone too).
        () => schedule(),
      );
    };
    const schedule = () => {
      if (stopped) return;
      timer = setTimeout(renew, renewMs);
      // Node: the renewal alone does not keep the process up (edge runtimes' timers have no unref).
      (timer as { unref?: () => void }).unref?.();
    };
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  };

  return {
    async once(key, read, mint) {
      const name = lockKey(key);
      const taken = await attempt(() => redis.command('SET', name, owner, 'PX', String(leaseMs), 'NX')).then(
        (answer) => answer === 'OK',
        () => undefined,
      );
      // Redis cannot be asked: this instance mints on its own (its own single flight still holds).
      if (taken === undefined) return mint();
      if (taken) {
        const stop = renewing(name);
        try {
          return await mint();
        } finally {
          stop();
          // Released at once: the others' next look finds the token, or mints.
          void attempt(() => redis.command('EVAL', RELEASE, '1', name, owner)).catch(() => {});
        }
      }
      // Wait while the lock is a live one of this library's (its lease renewed, never longer than
      // leaseMs). Released without a token (the mint failed), held forever or too long (not ours),
      // unreadable: mint now.
      const live = async () => {
        const ttl = await attempt(() => redis.command('PTTL', name)).catch(() => -3);
        return typeof ttl === 'number' && ttl > 0 && ttl <= leaseMs;
      };
      const deadline = clock() + holdMs;
      while (clock() < deadline && (await live())) {
        await timers.sleep(POLL_MS);
        const found = await read();
        if (found !== undefined) return found;
      }
      return (await read()) ?? mint();
    },
  };
}
