import type { FreshToken } from './answer.js';

/**
 * A well-formed token: a compact JWE (five base64url segments; the second, the encrypted key, is
 * empty under Explo's `dir`), `expiresIn` a number of seconds from 0 to 7 days (the longest lifetime
 * a server may grant), and `dashboard` a string if present. What another tab hands over is held to
 * this before it reaches Explo: any page of this origin can post on the tabs' channel.
 */
export function isFreshToken(value: unknown): value is FreshToken {
  const { jwt, expiresIn, dashboard } = (value ?? {}) as Partial<Record<keyof FreshToken, unknown>>;
  return (
    typeof jwt === 'string' &&
    /^[\w-]+(\.[\w-]*){4}$/.test(jwt) &&
    typeof expiresIn === 'number' &&
    expiresIn >= 0 &&
    expiresIn <= 604_800 &&
    (dashboard === undefined || typeof dashboard === 'string')
  );
}
