/** Ways to make the stand-in misbehave, as Explo or a network might: see `setFaults` on the running stand-in. */
export interface ExploStandInFaults {
  /** Tokens its API mints carry 16-byte IVs, as tokens minted by Explo itself do. Default false. */
  legacyIv: boolean;
  /** Seconds its clock runs ahead of this machine's (negative: behind) when it judges expiry. Default 0. */
  clockSkew: number;
  /** Embedding pages it refuses, as Explo refuses a domain not on the allowlist: their origins, or `true` for all. */
  refuseOrigins: readonly string[] | boolean;
  /** Milliseconds each token check takes. Default 0. */
  verifyDelay: number;
  /** Token checks fail (HTTP 500): the embed shows that it cannot reach Explo. Default false. */
  verifyFails: boolean;
  /**
   * Environments not published (or `true` for all): an embed of one shows it and never loads (no
   * `dashboardReadyToLoad`), as Explo's frame stays blank for an environment it has no version of.
   */
  unpublished: readonly string[] | boolean;
  /** Every call to its API (tokens, customers, resources) answers this HTTP status (500, 429...). Default false. */
  apiFails: number | false;
}

export const NO_FAULTS: ExploStandInFaults = Object.freeze({
  legacyIv: false,
  clockSkew: 0,
  refuseOrigins: false,
  verifyDelay: 0,
  verifyFails: false,
  unpublished: false,
  apiFails: false,
});
