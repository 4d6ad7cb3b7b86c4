import { createCipheriv, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExploSecret } from '@explo-embed/core';
import type { customerRecords } from './customer-records.js';

const MAX_BODY = 32_768;

/** The dashboards and report builders the stand-in's Resource API lists: names to embed ids. */
export interface StandInResources {
  /** `{ name: embedId }`, listed by `GET /api/dashboard/`. */
  dashboards?: Readonly<Record<string, string>>;
  /** `{ name: embedId }`, listed by `GET /api/reports/`. */
  reportBuilders?: Readonly<Record<string, string>>;
}

/** What the stand-in's API answers with. */
export interface ApiStandInSettings {
  apiToken: string;
  /** The key tokens are minted with. */
  key: ExploSecret;
  customers: ReturnType<typeof customerRecords>;
  resources: StandInResources;
  /** `generate_jwt` refuses a `provided_id` that is not a customer (as with `requireCustomers`). */
  requireCustomers: boolean;
  /** Mint with 16-byte IVs, as Explo itself does. */
  legacyIv: () => boolean;
  /** A status every call answers with instead (a fault), or false. */
  failWith: () => number | false;
}

type Answer = [status: number, body: unknown];

/**
 * A stand-in of Explo's API, as far as embedding goes: `Explo-Authorization: Token <apiToken>`, JSON
 * in and out, paths with their trailing slash. `POST /api/generate_jwt/` (minted with `key`), the
 * Customer API (`create_customer`, `update_customer`, `get_customer`) and the Resource API
 * (`GET /api/dashboard/`, `GET /api/reports/`). Returns the handler of a path, `undefined` for a
 * path it does not serve.
 */
export function apiStandIn(settings: ApiStandInSettings) {
  const { apiToken, key, customers, resources } = settings;
  const list = (named: Readonly<Record<string, string>> | undefined) =>
    Object.entries(named ?? {}).map(([name, embedId]) => ({ name, embed_id: embedId }));

  const generateJwt = (body: { provided_id?: unknown; embed_id?: unknown; expiration?: unknown }): Answer => {
    // An ISO 8601 duration as Explo takes it ("P1D", "PT1H30M", "PT90S"); default one day.
    const parts = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(String(body.expiration ?? 'P1D'));
    const lifetime = parts ? [86_400, 3600, 60, 1].reduce((sum, unit, i) => sum + unit * Number(parts[i + 1] ?? 0), 0) : 0;
    if (typeof body.provided_id !== 'string' || typeof body.embed_id !== 'string' || lifetime <= 0) {
      return [400, { detail: 'provided_id, embed_id and an ISO 8601 expiration are required' }];
    }
    if (settings.requireCustomers && !customers.has(body.provided_id)) return [400, { detail: 'customer not found' }];
    const now = Math.floor(Date.now() / 1000);
    const claims = { cst: body.provided_id, dsh: body.embed_id, iat: now, exp: now + lifetime };
    return [200, { success: 1, jwt: mintWith(key, claims, settings.legacyIv() ? 16 : 12) }];
  };

  const routes: Readonly<Record<string, { method: 'GET' | 'POST'; answer: (body: Record<string, unknown>) => Answer }>> = {
    '/api/generate_jwt/': { method: 'POST', answer: generateJwt },
    '/api/create_customer/': { method: 'POST', answer: customers.create },
    '/api/update_customer/': { method: 'POST', answer: customers.update },
    '/api/get_customer/': { method: 'POST', answer: customers.get },
    '/api/dashboard/': {
      method: 'GET',
      answer: () => [
        200,
        { success: 1, dashboards: list(resources.dashboards).map((d) => ({ team_id: 1, ...d, attributes: [] })) },
      ],
    },
    '/api/reports/': { method: 'GET', answer: () => [200, { success: 1, reports: list(resources.reportBuilders) }] },
  };

  return (path: string) => {
    const route = routes[path];
    if (route === undefined) return undefined;
    return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== route.method) return answer(405, { detail: 'Method not allowed' });
      if (req.headers['explo-authorization'] !== `Token ${apiToken}`) return answer(401, { detail: 'Invalid token.' });
      const failing = settings.failWith();
      if (failing !== false) return answer(failing, { detail: 'stand-in API failing (fault)' });
      let raw = '';
      for await (const chunk of req) {
        raw += chunk;
        if (raw.length > MAX_BODY) return answer(413, { detail: 'Too large' });
      }
      let body: unknown = {};
      try {
        if (raw !== '') body = JSON.parse(raw);
      } catch {
        return answer(400, { detail: 'Invalid JSON' });
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return answer(400, { detail: 'Invalid JSON' });
      return answer(...route.answer(body as Record<string, unknown>));
    };
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
