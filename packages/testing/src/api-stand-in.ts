import { createCipheriv, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExploSecret } from '@explo-embed/core';

const MAX_BODY = 32_768;

/**
 * A stand-in of Explo's `POST /api/generate_jwt/`, as far as minting goes: `Explo-Authorization:
 * Token <apiToken>`, JSON in, `{ success, jwt }` out, minted with `key`. `legacyIv()` says whether
 * to mint as Explo itself does, with 16-byte IVs.
 */
export function apiStandIn(apiToken: string, key: ExploSecret, legacyIv: () => boolean) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST') return answer(405, { detail: 'Method not allowed' });
    if (req.headers['explo-authorization'] !== `Token ${apiToken}`) return answer(401, { detail: 'Invalid token.' });
    let raw = '';
    for await (const chunk of req) {
      raw += chunk;
      if (raw.length > MAX_BODY) return answer(413, { detail: 'Too large' });
    }
    let body: { provided_id?: unknown; embed_id?: unknown; expiration?: unknown };
    try {
      body = JSON.parse(raw);
    } catch {
      return answer(400, { detail: 'Invalid JSON' });
    }
    // An ISO 8601 duration as Explo takes it ("P1D", "PT1H30M", "PT90S"); default one day.
    const parts = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(String(body.expiration ?? 'P1D'));
    const lifetime = parts ? [86_400, 3600, 60, 1].reduce((sum, unit, i) => sum + unit * Number(parts[i + 1] ?? 0), 0) : 0;
    if (typeof body.provided_id !== 'string' || typeof body.embed_id !== 'string' || lifetime <= 0) {
      return answer(400, { detail: 'provided_id, embed_id and an ISO 8601 expiration are required' });
    }
    const now = Math.floor(Date.now() / 1000);
    const claims = { cst: body.provided_id, dsh: body.embed_id, iat: now, exp: now + lifetime };
    return answer(200, { success: 1, jwt: mintWith(key, claims, legacyIv() ? 16 : 12) });
  };
}

/** A compact JWE (`dir`, `A256GCM`) by hand, so the IV may be 16 bytes, as in tokens Explo itself mints. */
function mintWith(key: ExploSecret, claims: Record<string, unknown>, ivLength: 12 | 16): string {
  const header = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: key.keyId })).toString('base64url');
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key.keyValue, 'utf8'), iv);
  cipher.setAAD(Buffer.from(header, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(claims), 'utf8'), cipher.final()]);
  return [header, '', iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}
