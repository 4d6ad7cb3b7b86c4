import type { MintClaims, TokenEncrypter } from '../jwe/jwe.js';
import type { PreparedRing } from '../keys/key-ring.js';
import type { PreparedSecret } from '../keys/secret.js';
import type { MintedToken, MintInput } from '../model/token.js';
import type { SecretSource } from '../secret/secret-source.js';
import type { KeyedMinter, Minter, MintTiming } from './minter.js';
import { checkToken } from './token-check.js';

/**
 * Mints by encrypting the claims here, with the embed secret (Explo's documented way), through the
 * runtime's encrypter: at once on Node (`mintNow`), asynchronously on the edge (no `mintNow`).
 */
export function createLocalMinter(
  secrets: SecretSource,
  timing: MintTiming,
  encrypter: (secret: PreparedSecret) => TokenEncrypter,
): Minter {
  // One keyed minter per prepared secret: a new one, with a new scope, after each rotation.
  let last: { ring: PreparedRing; minter: KeyedMinter } | undefined;
  const bind = (ring: PreparedRing): KeyedMinter => {
    if (last?.ring !== ring) {
      // The ring's first key mints; the others only decrypt.
      const secret = ring.current;
      const { encryptNow, encrypt } = encrypter(secret);
      const claimsOf = ({ customerId, embedId, claims }: MintInput, mintedAt: number): MintClaims => {
        const iat = Math.floor(mintedAt / 1000);
        return { cst: customerId, dsh: embedId, iat, exp: iat + timing.lifetimeMs / 1000, ...claims };
      };
      const token = (jwt: string, claims: MintClaims, mintedAt: number): MintedToken => ({
        jwt,
        expMs: claims.exp * 1000,
        keyId: secret.keyId,
        mintedAt,
      });
      const minter: KeyedMinter = {
        kind: 'local',
        scope: secret.fingerprint,
        sealKey: secret.sealKey,
        mintNow:
          encryptNow &&
          ((input) => {
            const mintedAt = timing.clock();
            const claims = claimsOf(input, mintedAt);
            return token(encryptNow(claims), claims, mintedAt);
          }),
        mint: async (input) => {
          const mintedAt = timing.clock();
          const claims = claimsOf(input, mintedAt);
          return token(await encrypt(claims), claims, mintedAt);
        },
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
