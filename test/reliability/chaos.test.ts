import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mintsLikeExplo, startExploApi } from '../support/explo-api.js';
import { type FleetWorker, type MintOutcome, startFleet } from '../support/fleet.js';
import type { RunningServer } from '../support/http.js';
import { type RunningRedis, startRedis } from '../support/redis.js';

// Four instances (processes) under steady load on one real Redis while it fails the three ways a
// Redis fails: killed (connections refused), restarted empty on the same port, and hung (SIGSTOP:
// connections open, nothing answered) until it is continued. No request fails for it, none waits
// longer than the store timeout plus one mint, and once Redis is back the fleet keeps to one budget.
const KEY = { keyId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d', keyValue: 'chaos-test-key-value-of-32-byte!' };
const API_TOKEN = 'explo-api-token-chaos-tests-0123456';
/** The fleet's budget: each instance allows itself half of it while it is alone. */
const PER_MINUTE = 600;
/**
 * How long one Redis operation may take (`reuse.storeTimeout`): 2 s, so that a machine busy with
 * other tests does not make Redis look slow (which would rightly cost the fleet its sharing).
 */
const STORE_TIMEOUT_MS = 2_000;
/** One mint at least: Explo's stand-in answers on loopback in milliseconds; this is room for a loaded machine. */
const ONE_MINT_MS = 1_000;
/** Each instance is asked once a second: a customer the whole fleet asks for, one of its own, one it knows. */
const PACE_MS = 1_000;

let redis: RunningRedis;
let api: RunningServer & { calls: unknown[] };
let workers: FleetWorker[] = [];

beforeAll(async () => {
  [redis, api] = await Promise.all([startRedis(), startExploApi(mintsLikeExplo([KEY], () => Date.now()))]);
  workers = await startFleet(4, {
    redis: redis.url,
    client: 'url',
    apiUrl: api.url,
    key: KEY,
    options: {
      api: { token: API_TOKEN, url: api.url, rateLimit: { perMinute: PER_MINUTE, localShare: 0.5 } },
      reuse: { storeTimeout: `${STORE_TIMEOUT_MS / 1000}s` },
    },
  });
  // Four processes start (each compiles its TypeScript): on a machine busy with other tests, slowly.
}, 90_000);
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.close()));
  await api?.close();
  await redis?.stop();
});

const cli = (...args: string[]) => execFileSync('redis-cli', ['-p', String(redis.port), ...args], { encoding: 'utf8' }).trim();
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` until it holds; fails naming `what` if it has not within `limitMs`. */
async function until(what: string, done: () => boolean | Promise<boolean>, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await tick(50);
  }
}

/** The steady load: each instance's batches, one after the other, at its pace; every outcome kept, by phase. */
function steadyLoad() {
  let running = true;
  let phase = 'warm';
  const outcomes: (MintOutcome & { phase: string })[] = [];
  const batches = workers.map(() => 0);
  const loops = workers.map(async (worker, w) => {
    for (let n = 0; running; n++) {
      const paced = tick(PACE_MS);
      const customers = [`everyone-${n}`, `instance-${w}-${n}`, `known-${n % 4}`];
      for (const outcome of await worker.mint(customers)) outcomes.push({ ...outcome, phase });
      batches[w] = (batches[w] as number) + 1;
      await paced;
    }
  });
  return {
    outcomes,
    enter(next: string) {
      phase = next;
    },
    /** Waits until every instance has served `count` more batches. */
    served: async (count: number) => {
      const from = [...batches];
      await until(`${count} more batches on every instance`, () => batches.every((n, w) => n >= (from[w] as number) + count));
    },
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Waits until every instance has said, at least once, that it counts its API calls `budget`. */
async function everyInstanceSays(budget: 'shared' | 'local'): Promise<void> {
  const seen = new Set<number>();
  await until(`every instance to count its calls ${budget}`, async () => {
    const health = await Promise.all(workers.map((worker) => worker.health()));
    for (const [w, { api: status }] of health.entries()) if (status?.budget === budget) seen.add(w);
    return seen.size === workers.length;
  });
}

describe('a fleet on a Redis that is killed, restarted and hung, under steady load', () => {
  it('no request fails or waits longer than the store timeout plus one mint; back, the fleet keeps to one budget', async () => {
    const load = steadyLoad();
    try {
      await everyInstanceSays('shared');
      await load.served(2);

      load.enter('killed');
      await redis.kill();
      await everyInstanceSays('local');
      await load.served(3);

      load.enter('restarted');
      redis = await startRedis(redis.port);
      await everyInstanceSays('shared');
      await load.served(3);

      load.enter('hung');
      redis.pause();
      await everyInstanceSays('local');
      await load.served(3);

      load.enter('continued');
      redis.resume();
      await everyInstanceSays('shared');
      await load.served(3);
    } finally {
      redis.resume();
      await load.stop();
    }

    const failed = load.outcomes.filter((outcome) => !('jwt' in outcome));
    expect(failed).toEqual([]);
    const slowest = Object.fromEntries(
      ['warm', 'killed', 'restarted', 'hung', 'continued'].map((phase) => [
        phase,
        Math.max(...load.outcomes.filter((outcome) => outcome.phase === phase).map((outcome) => outcome.ms)),
      ]),
    );
    // One mint: a second, or the slowest one while Redis was well again, if this machine made that
    // slower (the warm-up's first mints also wait for the first connection).
    const oneMint = Math.max(ONE_MINT_MS, slowest.restarted as number, slowest.continued as number);
    expect(slowest.killed).toBeLessThanOrEqual(STORE_TIMEOUT_MS + oneMint);
    expect(slowest.hung).toBeLessThanOrEqual(STORE_TIMEOUT_MS + oneMint);
    // Each instance said once that it went on alone (a warning a minute), never that the budget was foreign.
    for (const worker of workers) {
      expect(worker.logged.filter((line) => line.includes('ERR_EXPLO_STORE_UNAVAILABLE'))).toHaveLength(1);
      expect(worker.logged.join('\n')).not.toContain('Redis holds a count');
    }

    // Back: a burst of new customers, well past the budget, in a new minute (the count of this one
    // dropped). The fleet makes exactly its budget of calls: one count, no instance on its own share.
    // Twenty at a time per instance: a thousand at once would keep Redis's answers waiting behind
    // them on a busy machine, and an instance that finds Redis slow rightly goes on alone.
    const [count] = cli('--scan', '--pattern', 'explo-embed:budget:*').split('\n');
    cli('DEL', count as string);
    const before = api.calls.length;
    const burst: MintOutcome[] = [];
    await Promise.all(
      workers.map(async (worker, w) => {
        for (let batch = 0; batch < 10; batch++) {
          burst.push(...(await worker.mint(Array.from({ length: 20 }, (_, i) => `burst-${w}-${batch}-${i}`))));
        }
      }),
    );
    expect(api.calls.length - before).toBe(PER_MINUTE);
    expect(burst.filter((outcome) => 'jwt' in outcome)).toHaveLength(PER_MINUTE);
    expect(new Set(burst.flatMap((outcome) => ('code' in outcome ? [outcome.code] : [])))).toEqual(
      new Set(['ERR_EXPLO_API_RATE_LIMITED']),
    );
  }, 90_000);
});
