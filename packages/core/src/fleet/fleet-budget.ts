import { type ApiBudget, type BudgetLook, budgetWaiter } from '../api/api-budget.js';
import { MAX_PAUSE_MS } from '../api/api-request.js';
import type { ResolvedApiOptions } from '../api/resolve-api-options.js';
import type { Timers } from '../lib/timers.js';
import type { Attempt, FleetRedis } from './redis-client.js';

const WINDOW_MS = 60_000;

// One look at the fleet's count, in one step (a Lua script: atomic). KEYS: the count, the pause.
// ARGV: the limit, the window (ms), the longest pause (ms). Answers { verdict, count, ttl }: 1 the
// call is counted; 0 the window is full (not counted: a refusal is no call, so a busy minute never
// looks like a forged count); 2 a 429 pauses every call; -1 the key holds no count (another type,
// not a whole number). An expiry missing or longer than this library ever sets is brought back to
// the window, so whatever someone wrote there lasts one window at most; the ttl answered is the one found.
const TAKE = `
local function expiry(key, longest)
  local ttl = redis.call('pttl', key)
  if ttl == -1 or ttl > longest then redis.call('pexpire', key, ARGV[2]) end
  return ttl
end
if redis.call('exists', KEYS[2]) == 1 then
  local ttl = expiry(KEYS[2], tonumber(ARGV[3]))
  if redis.pcall('get', KEYS[2]) ~= '1' then return {-1, 0, ttl} end
  return {2, 0, ttl}
end
if redis.call('exists', KEYS[1]) == 0 then
  redis.call('set', KEYS[1], '1', 'px', ARGV[2])
  return {1, 1, tonumber(ARGV[2])}
end
local ttl = expiry(KEYS[1], tonumber(ARGV[2]))
local value = redis.pcall('get', KEYS[1])
if type(value) ~= 'string' or #value > 12 or not string.match(value, '^%d+$') then return {-1, 0, ttl} end
local count = tonumber(value)
if count >= tonumber(ARGV[1]) then return {0, count, ttl} end
redis.call('incr', KEYS[1])
return {1, count + 1, ttl}
`;

/** Where the fleet's budget lives in Redis: the count of this minute's calls, and the pause a 429 sets. */
export interface BudgetKeys {
  readonly count: string;
  readonly pause: string;
}

/** What the budget tells the fleet, and asks it. */
export interface BudgetWatch {
  /** The shared count is none of this library's (why, for the log): counted alone this time. */
  foreign(why: string): void;
  /** Whether Redis is asked now (connected, and not left alone after a failure). */
  usable(): boolean;
}

/**
 * One budget of Explo API calls for the whole fleet of this app (Explo counts per IP address): a
 * count per minute in Redis, at keys of this app's own. A 429 from Explo pauses every instance until
 * its `Retry-After` has passed. When Redis fails or is slow, or holds a count no instance could have
 * written (a count far past `perMinute` plus the queue, an expiry that does not fit the window, a
 * value that is no count), this instance keeps to `local`, its own share of the budget
 * (`rateLimit.localShare`): sharing is lost, requests are not.
 */
export function createFleetBudget(
  redis: FleetRedis,
  keys: BudgetKeys,
  settings: ResolvedApiOptions['rateLimit'],
  local: ApiBudget,
  timers: Timers,
  attempt: Attempt,
  watch: BudgetWatch,
): ApiBudget {
  const { perMinute, queue } = settings;
  const take = () =>
    redis.command('EVAL', TAKE, '2', keys.count, keys.pause, String(perMinute), String(WINDOW_MS), String(MAX_PAUSE_MS));
  let remaining = perMinute;
  // Whether the last look found a count none of this app's instances could have written.
  let foreignNow = false;
  const wait = budgetWaiter(settings, timers);
  const alone = () => local.acquire().then(() => undefined);
  // One look at the shared count: counted, or how long until a slot frees.
  const look = async (): Promise<BudgetLook> => {
    let answer: unknown;
    try {
      answer = await attempt(take);
    } catch {
      return alone();
    }
    const [verdict = -1, count = 0, ttl = 0] = Array.isArray(answer) ? answer.map(Number) : [];
    const foreign = implausible(verdict, count, ttl, perMinute + queue);
    foreignNow = foreign !== undefined;
    if (foreign !== undefined) {
      watch.foreign(`${verdict === 2 ? keys.pause : keys.count}: ${foreign}`);
      return alone();
    }
    if (verdict === 1) {
      remaining = Math.max(0, perMinute - count);
      return undefined;
    }
    remaining = 0;
    const why = verdict === 2 ? 'Explo answered 429' : `${perMinute} calls per minute across the fleet`;
    return { waitMs: Math.max(1, ttl), why };
  };

  return {
    acquire: () => wait(look),
    pause(ms) {
      local.pause(ms);
      // Every instance waits out Explo's 429, not only the one that got it.
      void attempt(() => redis.command('SET', keys.pause, '1', 'PX', String(Math.max(1, Math.ceil(ms))))).catch(() => {});
    },
    status() {
      const budget = !watch.usable() ? 'local' : foreignNow ? 'foreign' : 'shared';
      return { remaining, perMinute, pausedForMs: local.status().pausedForMs, budget };
    },
  };
}

/** Why an answer is none this library's instances could have left, if it is not. */
function implausible(verdict: number, count: number, ttl: number, most: number): string | undefined {
  if (verdict !== 0 && verdict !== 1 && verdict !== 2) return 'a value that is not a count';
  if (!(ttl >= 0 && ttl <= (verdict === 2 ? MAX_PAUSE_MS : WINDOW_MS))) return 'an expiry that does not fit the window';
  if (count > most) return `a count of ${count}, far past the budget and its queue`;
  return undefined;
}
