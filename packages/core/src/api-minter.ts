import { createHash } from 'node:crypto';
import { requestApiJwt } from './api-request.js';
import { toIsoDuration } from './iso-duration.js';
import type { KeyedMinter, Minter, MintTiming } from './minter.js';
import type { ResolvedApiOptions } from './resolve-api-options.js';
import type { Timers } from './timers.js';

/**
 * Mints through Explo's API (`POST /api/generate_jwt/`): no secret is needed here, only the API
 * token. Its key material (token, URL, key id) is fixed, so it is always ready.
 */
export function createApiMinter(api: ResolvedApiOptions, timing: MintTiming, timers: Timers): Minter {
  const lifetimeSeconds = timing.lifetimeMs / 1000;
  const keyed: KeyedMinter = {
    // A digest: the API token itself never becomes part of a cache key.
    scope: `api:${createHash('sha256')
      .update(`${api.url}\u0000${api.keyId ?? ''}\u0000${api.token}`)
      .digest('base64url')}`,
    mint: async ({ customerId, embedId, claims }) => {
      // Explo's token cannot be read without the key, so its expiry is counted from the request
      // (never later than Explo's own).
      const expMs = (Math.floor(timing.clock() / 1000) + lifetimeSeconds) * 1000;
      const jwt = await requestApiJwt(
        api,
        {
          provided_id: customerId,
          embed_id: embedId,
          key_id: api.keyId ?? null,
          expiration: toIsoDuration(lifetimeSeconds),
          rb_allowed_features: claims.rbc ?? null,
          disable_editable_section_editing: claims.des ?? false,
          ...(claims.iss === undefined ? {} : { embed_origin: claims.iss }),
        },
        timers,
      );
      return { jwt, expMs, keyId: api.keyId };
    },
  };
  return { ready: () => keyed, load: async () => keyed };
}
