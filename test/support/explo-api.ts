import { createCipheriv, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen, type RunningServer } from './http.js';

/** One request the stand-in received. */
export interface ApiCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** How the stand-in answers the n-th call (0-based): status and body, or 'hang' / 'drop'. */
export type ApiBehaviour = (
  call: ApiCall,
  n: number,
) => { status: number; body: unknown; headers?: Record<string, string> } | 'hang' | 'drop';

/** A loopback stand-in of Explo's `POST /api/generate_jwt/`, recording every call. */
export async function startExploApi(behaviour: ApiBehaviour): Promise<RunningServer & { calls: ApiCall[] }> {
  const calls: ApiCall[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw);
    } catch {
      // recorded as {}
    }
    const call = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
    calls.push(call);
    const answer = behaviour(call, calls.length - 1);
    if (answer === 'hang') return;
    if (answer === 'drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  });
  const running = await listen(server);
  return Object.assign(running, { calls });
}

/**
 * A compact JWE as Explo's API issues them, structurally (a 16-byte IV, as Explo's own minter uses)
 * but not decryptable: for tests that only look at what the middleware does with it.
 */
export function fakeJwt(n: number, kid: string | null = 'explo-chosen-key'): string {
  const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
  const header = b64(JSON.stringify(kid === null ? { alg: 'dir', enc: 'A256GCM' } : { alg: 'dir', enc: 'A256GCM', kid }));
  return `${header}..${b64(Buffer.alloc(16, n % 256))}.${b64(`ciphertext-${n}`)}.${b64(Buffer.alloc(16, 7))}`;
}

/** Answers like Explo: a structurally valid token under the key id asked for (or Explo's own choice). */
export const answersLikeExplo: ApiBehaviour = (call, n) => ({
  status: 200,
  body: { success: 1, jwt: fakeJwt(n, typeof call.body.key_id === 'string' ? call.body.key_id : 'explo-chosen-key') },
});

/**
 * Answers like Explo with real tokens: encrypted with the key whose id was asked for (16-byte IV,
 * as Explo's minter does), for the claims asked for unless `tamper` changes them.
 */
export function mintsLikeExplo(
  keys: readonly { keyId: string; keyValue: string }[],
  clock: () => number,
  tamper: (claims: Record<string, unknown>) => Record<string, unknown> = (claims) => claims,
): ApiBehaviour {
  return (call) => {
    const key = keys.find((k) => k.keyId === call.body.key_id) ?? keys[0];
    if (!key) return { status: 400, body: { detail: 'no key' } };
    const iat = Math.floor(clock() / 1000);
    const seconds = isoSeconds(String(call.body.expiration));
    const claims = tamper({ cst: call.body.provided_id, dsh: call.body.embed_id, iat, exp: iat + seconds });
    const header = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: key.keyId })).toString('base64url');
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key.keyValue, 'utf8'), iv, { authTagLength: 16 });
    cipher.setAAD(Buffer.from(header, 'ascii'));
    const ct = Buffer.concat([cipher.update(JSON.stringify(claims), 'utf8'), cipher.final()]);
    const jwt = `${header}..${iv.toString('base64url')}.${ct.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
    return { status: 200, body: { success: 1, jwt } };
  };
}

function isoSeconds(duration: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(duration);
  if (!match) return 86_400;
  const [, d = '0', h = '0', m = '0', s = '0'] = match;
  return Number(d) * 86_400 + Number(h) * 3600 + Number(m) * 60 + Number(s);
}
