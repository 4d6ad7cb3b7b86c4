import { createCipheriv } from 'node:crypto';
import { createServer } from 'node:http';
import { listen, type RunningServer } from '../../../../test/support/http.js';

/** The key doctor is configured with, another one (its own id), and one under the same id with another value. */
export const KEY = { keyId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a', keyValue: 'doctor-test-key-value-32-bytes!!' };
export const OTHER_KEY = { keyId: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d', keyValue: 'another-doctor-key-of-32-bytes!!' };
export const SAME_ID_OTHER_VALUE = { keyId: KEY.keyId, keyValue: 'same-id-but-another-32-byte-key!' };
/** The signed-in user's cookie, as the browser would send it. */
export const COOKIE = 'session=signed-in-acme-3f9a';
/** The fixed time of every broken-page run: 2026-11-30T12:00:00Z. */
export const T = Date.UTC(2026, 10, 30, 12);
const S = T / 1000;

let counter = 0;

/**
 * A compact JWE (dir + A256GCM) sealed by hand with node:crypto, so tests can write any header
 * or claims, hostile ones included. Each call gets its own IV.
 */
export function seal(
  claims: Record<string, unknown>,
  { key = KEY, header, ivLength = 12 }: { key?: { keyId: string; keyValue: string }; header?: object; ivLength?: number } = {},
): string {
  const protectedHeader = Buffer.from(JSON.stringify(header ?? { alg: 'dir', enc: 'A256GCM', kid: key.keyId })).toString(
    'base64url',
  );
  const iv = Buffer.alloc(ivLength);
  iv.writeUInt32BE(++counter);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key.keyValue, 'utf8'), iv);
  cipher.setAAD(Buffer.from(protectedHeader, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(claims), 'utf8'), cipher.final()]);
  return [protectedHeader, '', iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** The page's token claims: acme, the sales dashboard, a minute old, an hour's lifetime. */
export const claims = (extra: Record<string, unknown> = {}) => ({
  cst: 'acme',
  dsh: 'emb-sales',
  iat: S - 60,
  exp: S + 3540,
  ...extra,
});

/** A CSP that lets Explo in (and nothing else), as withExploCsp builds it. */
export const GOOD_CSP =
  "default-src 'self'; frame-src 'self' https://app.explo.co; script-src 'self' https://embed.explo.co; " +
  "connect-src 'self' https://api.explo.co https://*.data.explo.co https://custom-assets.explo.co https://app.explo.co";

/** Explo's iframe for a token, as the examples render it. */
export const iframe = (jwt: string, environment = 'production') =>
  `<iframe title="Dashboard" src="https://app.explo.co/iframe/${encodeURIComponent(jwt)}/${environment}"></iframe>`;

/** A whole HTML document around `body`, with `head` added to its head. */
export const html = (body: string, head = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Dashboard</title>${head}</head><body>${body}</body></html>`;

/** One answer of the site: status, headers, body. */
export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A page that is right in every way doctor checks, with changes. */
export function page(body: string = iframe(seal(claims())), headers: Record<string, string | null> = {}): Answer {
  const merged: Record<string, string | null> = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'private, no-store',
    'content-security-policy': GOOD_CSP,
    ...headers,
  };
  return {
    body: html(body),
    headers: Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== null)) as Record<string, string>,
  };
}

/** A token route that is right: a token minted now for acme when signed in, 401 otherwise. */
export function route(signedIn: boolean): Answer {
  return signedIn
    ? json(200, { jwt: seal(claims({ iat: S, exp: S + 3600 })), expiresIn: 3600 })
    : json(401, { code: 'ERR_EXPLO_UNAUTHENTICATED' });
}

/** A JSON answer, not cacheable. */
export const json = (status: number, value: unknown): Answer => ({
  status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(value),
});

/** What the site serves: the page at any path but the token route's, and the clock it claims. */
export interface SiteSpec {
  page?: Answer | ((origin: string) => Answer);
  /** The token route, told whether the request carries the signed-in cookie, and the Cookie header it carries. */
  route?: (signedIn: boolean, cookie: string | undefined) => Answer;
  /** The server's clock (ms) for its Date header. Default T. */
  clock?: number;
  /** Never answer the page (to test the timeout). */
  hang?: boolean;
}

/** A deliberately broken (or right) site on 127.0.0.1: records the paths asked for. */
export async function startSite(spec: SiteSpec = {}): Promise<RunningServer & { paths: string[] }> {
  const paths: string[] = [];
  let origin = '';
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    paths.push(path);
    const isRoute = path.startsWith('/explo/token');
    if (spec.hang && !isRoute) return;
    const answer = isRoute
      ? (spec.route ?? route)(req.headers.cookie === COOKIE, req.headers.cookie)
      : typeof spec.page === 'function'
        ? spec.page(origin)
        : (spec.page ?? page());
    res.writeHead(answer.status ?? 200, { date: new Date(spec.clock ?? T).toUTCString(), ...answer.headers });
    res.end(answer.body ?? '');
  });
  const running = await listen(server);
  origin = running.url;
  return { ...running, paths };
}
