import { decodeExploJwtHeader, decryptExploJwt, type ExploEmbedError, type ExploSecret } from '@explo-embed/core';
import type { ExploStandInFaults } from './faults.js';

/** The stand-in's verdict on a token. */
export interface StandInVerdict {
  ok: boolean;
  code?: string;
  message?: string;
  kid?: string;
  claims: Record<string, unknown>;
  /** Seconds left, by the server's clock. */
  expiresIn?: number;
}

/**
 * How the stand-in judges tokens and embedding pages, under the faults in force. `customerKnown`,
 * when given, says whether Explo holds a token's customer (`requireCustomers`).
 */
export function verdicts(
  keys: readonly ExploSecret[],
  faults: () => ExploStandInFaults,
  customerKnown?: (providedId: string) => boolean,
) {
  /** True when the embedding page's origin is refused, as Explo refuses a domain not on its allowlist. */
  const refused = (origin: string | undefined): boolean => {
    const { refuseOrigins } = faults();
    return refuseOrigins === true || (Array.isArray(refuseOrigins) && origin !== undefined && refuseOrigins.includes(origin));
  };
  const REFUSED: StandInVerdict = {
    ok: false,
    code: 'ERR_EXPLO_ORIGIN_REFUSED',
    message: 'This domain is not on the allowlist.',
    claims: {},
  };

  /** True when `environment` is not published (a fault): its embed never loads. */
  const unpublished = (environment: string | undefined): boolean => {
    const { unpublished } = faults();
    return unpublished === true || (Array.isArray(unpublished) && environment !== undefined && unpublished.includes(environment));
  };
  const UNPUBLISHED: StandInVerdict = {
    ok: false,
    code: 'ERR_EXPLO_ENVIRONMENT_UNPUBLISHED',
    message: 'This environment has no published version.',
    claims: {},
  };

  const verify = async (jwt: string): Promise<StandInVerdict> => {
    let kid: string | undefined;
    try {
      kid = decodeExploJwtHeader(jwt).header.kid;
      const now = Date.now() + faults().clockSkew * 1000;
      const { claims } = await decryptExploJwt(jwt, keys, { clockTolerance: 0, currentDate: new Date(now) });
      if (customerKnown !== undefined && !customerKnown(claims.cst)) {
        return {
          ok: false,
          code: 'ERR_EXPLO_CUSTOMER_UNKNOWN',
          message: 'No customer with this id exists in Explo.',
          kid,
          claims,
        };
      }
      return { ok: true, kid, claims, expiresIn: claims.exp - now / 1000 };
    } catch (error) {
      const coded = error as ExploEmbedError & { claims?: Record<string, unknown> };
      const verdict: StandInVerdict = {
        ok: false,
        code: coded.code ?? 'ERR_EXPLO_JWT_INVALID',
        message: coded.message,
        claims: coded.claims ?? {},
      };
      if (kid !== undefined) verdict.kid = kid;
      return verdict;
    }
  };
  return { verify, refused, REFUSED, unpublished, UNPUBLISHED };
}
