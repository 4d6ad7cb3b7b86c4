import { createHash } from 'node:crypto';
import { ExploEmbedError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import { parseCompact } from '../jwe/compact-jwe.js';
import { decryptPrepared } from '../jwe/decrypt.js';
import { toIsoDuration } from '../lib/iso-duration.js';
import type { Timers } from '../lib/timers.js';
import type { KeyedMinter, Minter, MintTiming } from '../mint/minter.js';
import type { MintedToken, MintInput } from '../model/token.js';
import type { Telemetry } from '../operations/telemetry.js';
import type { SecretSource } from '../secret/secret-source.js';
import { createApiBudget } from './api-budget.js';
import { ExploApiResponseError } from './api-errors.js';
import { type ApiCallContext, requestApiJwt } from './api-request.js';
import type { ResolvedApiOptions } from './resolve-api-options.js';

// Explo's clock and ours may differ a little; an expiry further out than asked by more is refused.
const EXP_SLACK_MS = 60_000;

/**
 * Mints through Explo's API (`POST /api/generate_jwt/`) within a budget of calls. Its key material
 * (token, URL, key id) is fixed, so it is always ready. Each answer is checked: a compact JWE with
 * the configured `kid`; and when the embed secret is configured too, decrypted and checked for the
 * customer, dashboard and expiry asked for (its real `exp` is then used).
 */
export function createApiMinter(
  api: ResolvedApiOptions,
  timing: MintTiming,
  timers: Timers,
  secrets: SecretSource | undefined,
  telemetry: Telemetry,
): Minter {
  const lifetimeSeconds = timing.lifetimeMs / 1000;
  const call: ApiCallContext = { api, budget: createApiBudget(api.rateLimit, timing.clock, timers), timers, clock: timing.clock };

  const check = async (jwt: string, input: MintInput, askedAt: number): Promise<MintedToken> => {
    const { header } = parseCompact(jwt);
    if (api.keyId !== undefined && header.kid !== api.keyId) {
      throw new ExploApiResponseError(
        `Explo's API issued a token with key id ${quoteUntrusted(header.kid)}, not the configured one.`,
      );
    }
    // Explo's token cannot be read without the key: then its expiry is counted from the request.
    let expMs = (Math.floor(askedAt / 1000) + lifetimeSeconds) * 1000;
    const ring = secrets === undefined ? undefined : (secrets.ready() ?? (await secrets.get()));
    // Checkable when the token is under a key configured here (always, when api.keyId is one of them).
    const secret = header.kid === undefined ? undefined : ring?.byKid.get(header.kid);
    if (secret !== undefined) {
      const { claims } = await decryptPrepared(jwt, secret, { currentDate: new Date(timing.clock()) }).catch((error: unknown) => {
        const reason = error instanceof ExploEmbedError ? error.message : 'it cannot be read';
        throw new ExploApiResponseError(`Explo's API issued a token the configured secret cannot read: ${reason}`);
      });
      if (claims.cst !== input.customerId || claims.dsh !== input.embedId) {
        throw new ExploApiResponseError("Explo's API issued a token for another customer or dashboard than asked.");
      }
      if (claims.exp * 1000 > askedAt + timing.lifetimeMs + EXP_SLACK_MS) {
        throw new ExploApiResponseError("Explo's API issued a token that expires later than asked.");
      }
      expMs = claims.exp * 1000;
    }
    return { jwt, expMs, keyId: header.kid ?? api.keyId, mintedAt: askedAt };
  };

  const keyed: KeyedMinter = {
    kind: 'api',
    // A digest: the API token itself never becomes part of a cache key.
    scope: `api:${createHash('sha256')
      .update(`${api.url}\u0000${api.keyId ?? ''}\u0000${api.token}`)
      .digest('base64url')}`,
    mint: (input) =>
      telemetry.span('explo-embed api mint', async () => {
        const askedAt = timing.clock();
        const { customerId, embedId, claims } = input;
        const jwt = await requestApiJwt(call, {
          provided_id: customerId,
          embed_id: embedId,
          key_id: api.keyId ?? null,
          expiration: toIsoDuration(lifetimeSeconds),
          rb_allowed_features: claims.rbc ?? null,
          disable_editable_section_editing: claims.des ?? false,
          ...(claims.iss === undefined ? {} : { embed_origin: claims.iss }),
        });
        return check(jwt, input, askedAt);
      }),
  };
  return { ready: () => keyed, load: async () => keyed, apiStatus: () => call.budget.status() };
}
