import { createSecretKey, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

/** The session cookie: the customer id in an HS256-signed JWT (the stateless session of Next.js's auth guide). */
export const SESSION_COOKIE = 'session';
const SESSION_HOURS = 8;

// Imported once per secret, not on every request.
const keys = new Map<string, KeyObject>();
const keyOf = (secret: string): KeyObject => {
  const key = keys.get(secret) ?? createSecretKey(Buffer.from(secret, 'utf8'));
  keys.set(secret, key);
  return key;
};

/** The `Set-Cookie` value that logs `customerId` in. */
export async function sessionCookie(customerId: string, secret: string): Promise<string> {
  const jwt = await new SignJWT({ customerId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(`${SESSION_HOURS}h`)
    .sign(keyOf(secret));
  return `${SESSION_COOKIE}=${jwt}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_HOURS * 3600}`;
}

/** The `Set-Cookie` value that logs out. */
export const LOGOUT_COOKIE = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;

/** The signed-in customer of a request, or undefined (no cookie, a bad signature, expired). */
export async function sessionCustomer(request: Request, secret: string): Promise<string | undefined> {
  const cookie = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(request.headers.get('cookie') ?? '')?.[1];
  if (!cookie) return undefined;
  try {
    const { payload } = await jwtVerify(cookie, keyOf(secret), { algorithms: ['HS256'] });
    return typeof payload.customerId === 'string' ? payload.customerId : undefined;
  } catch {
    return undefined;
  }
}
