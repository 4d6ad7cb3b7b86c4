import { createDecipheriv } from 'node:crypto';
import { assemble } from '../src/create-embed.js';
import type { ExploEmbedOptions, ExploSecret } from '../src/index.js';
import type { Timers } from '../src/lib/timers.js';
import { nodePlatform } from '../src/platform/node-platform.js';
import type { Platform } from '../src/platform/platform.js';
import { createTokenRoute } from '../src/route/token-route.js';

/** A well-formed test secret: a UUID key id and a 32-byte key value. */
export const KEY: ExploSecret = Object.freeze({
  keyId: '3f2c1d9e-7b6a-4c5d-8e9f-0a1b2c3d4e5f',
  keyValue: 'k3y-value-for-tests-only-32bytes',
});
/** A second key, as after a rotation. */
export const KEY2: ExploSecret = Object.freeze({
  keyId: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
  keyValue: 'another-32-byte-key-for-rotation',
});
/** 2026-01-01T00:00:00Z */
export const T0 = Date.UTC(2026, 0, 1);

/** A clock tests move by hand. */
export function manualClock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let current = start;
  return { now: () => current, advance: (ms) => (current += ms) };
}

/** Decrypts a compact JWE (dir + A256GCM, any IV length) by hand with node:crypto, per RFC 7516 5.2. */
export function decryptByHand(
  jwt: string,
  keyValue: string,
): { header: Record<string, unknown>; payload: Record<string, unknown>; ivLength: number } {
  const [h, ek, iv, ct, tag] = jwt.split('.') as [string, string, string, string, string];
  if (ek !== '') throw new Error('dir JWE must have an empty encrypted key');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(keyValue, 'utf8'), Buffer.from(iv, 'base64url'), {
    authTagLength: 16,
  });
  decipher.setAAD(Buffer.from(h, 'ascii'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const plain = Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
    payload: JSON.parse(plain.toString('utf8')),
    ivLength: Buffer.from(iv, 'base64url').length,
  };
}

/** Builds a compact JWE by hand with node:crypto (any IV length), e.g. Explo's legacy 16-byte IV tokens. */
export async function encryptByHand(
  header: Record<string, unknown>,
  payload: Record<string, unknown> | string,
  keyValue: string,
  iv: Buffer,
): Promise<string> {
  const { createCipheriv } = await import('node:crypto');
  const h = Buffer.from(JSON.stringify(header), 'utf8').toString('base64url');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyValue, 'utf8'), iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(h, 'ascii'));
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const ct = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
  return `${h}..${iv.toString('base64url')}.${ct.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
}

/** The framework-free token route over a pipeline built from `options` (and the embed beside it). */
export function routeFor(options: ExploEmbedOptions, timers?: Timers, platform: Platform = nodePlatform) {
  const { embed, issuer, reporter } = assemble(options, platform, timers);
  return { embed, route: createTokenRoute(issuer, reporter) };
}

/**
 * Timers that never wait: `slept` records every backoff, `timeouts` every per-attempt limit, and
 * `fireTimeouts()` makes the pending attempts time out now (as a hung server would, minus the wait).
 * Given a manual clock, a sleep moves it on by what it would have waited.
 */
export function fakeTimers(clock?: { advance: (ms: number) => void }) {
  const slept: number[] = [];
  const timeouts: number[] = [];
  const pending: AbortController[] = [];
  const timers: Timers = {
    sleep: async (ms) => {
      slept.push(ms);
      clock?.advance(ms);
    },
    timeoutSignal: (ms) => {
      timeouts.push(ms);
      const controller = new AbortController();
      pending.push(controller);
      return controller.signal;
    },
  };
  const fireTimeouts = () => {
    for (const controller of pending.splice(0)) controller.abort(new DOMException('The operation timed out.', 'TimeoutError'));
  };
  return { timers, slept, timeouts, fireTimeouts };
}

/**
 * Calls `attempt` until `done(result)`, letting background work (a secret revalidation) run in
 * between; bounded in turns of the event loop, never in wall-clock time.
 */
export async function eventually<T>(attempt: () => Promise<T>, done: (result: T) => boolean, turns = 500): Promise<T> {
  for (let turn = 0; ; turn++) {
    const result = await attempt();
    if (done(result) || turn >= turns) return result;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
