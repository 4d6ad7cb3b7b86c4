import { encryptClaims } from '../jwe/jwe.js';
import type { PreparedRing } from '../keys/key-ring.js';
import type { MintedToken, MintInput } from '../model/token.js';
import type { SecretSource } from '../secret/secret-source.js';
import type { KeyedMinter, Minter, MintTiming } from './minter.js';
import { checkToken } from './token-check.js';

/** Mints by encrypting the claims here, with the embed secret (Explo's documented way). */
export function createLocalMinter(secrets: SecretSource, timing: MintTiming): Minter {
  // One keyed minter per prepared secret: a new one, with a new scope, after each rotation.
  let last: { ring: PreparedRing; minter: KeyedMinter } | undefined;
  const bind = (ring: PreparedRing): KeyedMinter => {
    if (last?.ring !== ring) {
      // The ring's first key mints; the others only decrypt.
      const secret = ring.current;
      const mintNow = ({ customerId, embedId, claims }: MintInput): MintedToken => {
        const mintedAt = timing.clock();
        const iat = Math.floor(mintedAt / 1000);
        const exp = iat + timing.lifetimeMs / 1000;
        const jwt = encryptClaims({ cst: customerId, dsh: embedId, iat, exp, ...claims }, secret);
        return { jwt, expMs: exp * 1000, keyId: secret.keyId, mintedAt };
      };
      const minter: KeyedMinter = {
        kind: 'local',
        scope: secret.fingerprint,
        sealKey: secret.sealKey,
        mintNow,
        mint: async (input) => mintNow(input),
        // Tokens minted here carry exactly the claims asked for: all of them are compared.
        verify: (stored, input) =>
          checkToken(stored.jwt, ring, { input, now: timing.clock(), lifetimeMs: timing.lifetimeMs, exactClaims: true }).catch(
            (error: Error) => error.message,
          ),
      };
      last = { ring, minter };
    }
    return last.minter;
  };
  return {
    ready() {
      const ring = secrets.ready();
      return ring === undefined ? undefined : bind(ring);
    },
    load: async () => bind(await secrets.get()),
  };
}
