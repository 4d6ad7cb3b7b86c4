import { sha256Base64url } from '../lib/digest.js';
import type { Timers } from '../lib/timers.js';
import type { Attempt, FleetRedis } from './redis-client.js';

/** Single flight of mints across a fleet. */
export interface FleetLock {
  /**
   * One instance mints a token, the others wait for it: `mint` runs if this instance takes the
   * short lock for `key`; otherwise `read` is asked until the token appears (bounded by `waitMs`),
   * and `mint` runs after all if it does not (or if Redis cannot be reached).
   */
  once<T>(key: string, read: () => Promise<T | undefined>, mint: () => Promise<T>): Promise<T>;
}

// Deletes the lock only if it is still this instance's (it may have expired and been taken since).
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const POLL_MS = 50;

export function createFleetLock(
  redis: FleetRedis,
  settings: { lockMs: number; waitMs: number; clock: () => number },
  timers: Timers,
  attempt: Attempt,
): FleetLock {
  const { lockMs, waitMs, clock } = settings;
  const owner = crypto.randomUUID();
  const lockKey = (key: string) => `explo-embed:lock:${sha256Base64url(key)}`;
  return {
    async once(key, read, mint) {
      const name = lockKey(key);
      const taken = await attempt(() => redis.command('SET', name, owner, 'PX', String(lockMs), 'NX')).then(
        (answer) => answer === 'OK',
        () => undefined,
      );
      // Redis cannot be asked: this instance mints on its own (its own single flight still holds).
      if (taken === undefined) return mint();
      if (taken) {
        try {
          return await mint();
        } finally {
          void attempt(() => redis.command('EVAL', RELEASE, '1', name, owner)).catch(() => {});
        }
      }
      // Wait while the lock is a live one of this library's (it expires within lockMs). Released
      // without a token (the mint failed), held forever or too long (not ours), unreadable: mint now.
      const live = async () => {
        const ttl = await attempt(() => redis.command('PTTL', name)).catch(() => -3);
        return typeof ttl === 'number' && ttl > 0 && ttl <= lockMs;
      };
      const deadline = clock() + waitMs;
      while (clock() < deadline && (await live())) {
        await timers.sleep(POLL_MS);
        const found = await read();
        if (found !== undefined) return found;
      }
      return (await read()) ?? mint();
    },
  };
}
