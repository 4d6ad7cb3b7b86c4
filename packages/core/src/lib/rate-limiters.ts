import type * as Flexible from 'rate-limiter-flexible';
// rate-limiter-flexible's main module loads every limiter it has, its cluster one (node:cluster)
// included, which no edge runtime can load: the three used here are loaded alone. The package
// declares types for its main module only; they are the same classes.
// @ts-expect-error: no declaration file for the module's own files
import memory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
// @ts-expect-error: as above
import redis from 'rate-limiter-flexible/lib/RateLimiterRedis.js';
// @ts-expect-error: as above
import res from 'rate-limiter-flexible/lib/RateLimiterRes.js';

/** rate-limiter-flexible's in-process limiter. */
export const RateLimiterMemory: typeof Flexible.RateLimiterMemory = memory;
/** rate-limiter-flexible's Redis limiter (node-redis or ioredis, or a client shaped like node-redis). */
export const RateLimiterRedis: typeof Flexible.RateLimiterRedis = redis;
/** What a limiter answers (and rejects with, when the points are spent). */
export const RateLimiterRes: typeof Flexible.RateLimiterRes = res;
/** An instance of {@link RateLimiterRes}. */
export type RateLimiterRes = Flexible.RateLimiterRes;
/** An instance of {@link RateLimiterMemory}. */
export type RateLimiterMemory = Flexible.RateLimiterMemory;
/** An instance of {@link RateLimiterRedis}. */
export type RateLimiterRedis = Flexible.RateLimiterRedis;
