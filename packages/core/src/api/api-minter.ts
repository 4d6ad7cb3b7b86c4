import { ExploApiResponseError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import { parseCompact } from '../jwe/compact-jwe.js';
import { hmacSha256, sha256Base64url } from '../lib/digest.js';
import { toIsoDuration } from '../lib/iso-duration.js';
import type { Timers } from '../lib/timers.js';
import type { KeyedMinter, Minter, MintTiming } from '../mint/minter.js';
import { checkToken, EXP_SLACK_MS } from '../mint/token-check.js';
import type { MintedToken, MintInput } from '../model/token.js';
import type { Telemetry } from '../operations/telemetry.js';
import type { SecretSource } from '../secret/secret-source.js';
import type { ApiBudget } from './api-budget.js';
import { type ApiCallContext, requestApiJwt } from './api-request.js';
import type { ResolvedApiOptions } from './resolve-api-options.js';

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
  budget: ApiBudget,
): Minter {
  const lifetimeSeconds = timing.lifetimeMs / 1000;
  const call: ApiCallContext = { api, budget, timers, clock: timing.clock };

  const ringNow = async () => (secrets === undefined ? undefined : (secrets.ready() ?? (await secrets.get())));
  const expectation = (input: MintInput) => ({ input, now: timing.clock(), lifetimeMs: timing.lifetimeMs, exactClaims: false });

  /**
   * Checks Explo's answer: its `kid` the configured one; with the embed secret configured too,
   * decrypted under a key of the ring (a `kid` outside it is refused), for the customer and
   * dashboard asked, expiring no later than asked. Its real expiry is then what counts.
   */
  const check = async (jwt: string, input: MintInput, askedAt: number): Promise<MintedToken> => {
    const { header } = parseCompact(jwt);
    if (api.keyId !== undefined && header.kid !== api.keyId) {
      throw new ExploApiResponseError(
        `Explo's API issued a token with key id ${quoteUntrusted(header.kid)}, not the configured one.`,
      );
    }
    const ring = await ringNow();
    // Without the secret, Explo's token cannot be read: its expiry is counted from the request.
    if (ring === undefined)
      return {
        jwt,
        expMs: (Math.floor(askedAt / 1000) + lifetimeSeconds) * 1000,
        keyId: header.kid ?? api.keyId,
        mintedAt: askedAt,
      };
    try {
      return await checkToken(jwt, ring, expectation(input));
    } catch (error) {
      throw new ExploApiResponseError(`Explo's API issued a token that fails the checks: ${(error as Error).message}.`);
    }
  };

  /** A token another instance stored: checked as an answer would be; without the secret, by its header and expiry only. */
  const verify = async (stored: MintedToken, input: MintInput): Promise<MintedToken | string> => {
    try {
      const ring = await ringNow();
      if (ring !== undefined) return await checkToken(stored.jwt, ring, expectation(input));
      const { header } = parseCompact(stored.jwt);
      if (api.keyId !== undefined && header.kid !== api.keyId) return 'it is under another key id';
      const now = timing.clock();
      if (stored.expMs <= now || stored.expMs - now > timing.lifetimeMs + EXP_SLACK_MS) return 'its expiry is out of bounds';
      return stored;
    } catch (error) {
      return (error as Error).message;
    }
  };

  const keyed: KeyedMinter = {
    kind: 'api',
    // A digest: the API token itself never becomes part of a cache key.
    scope: `api:${sha256Base64url(`${api.url}\u0000${api.keyId ?? ''}\u0000${api.token}`)}`,
    // Only this app has the API token: what it seals in shared state, nobody else can forge.
    sealKey: hmacSha256(api.token, 'explo-embed shared state'),
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
    verify,
  };
  return { ready: () => keyed, load: async () => keyed, apiStatus: () => call.budget.status() };
}
