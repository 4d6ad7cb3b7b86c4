/** The `explo-embed` command's exit codes. Stable: scripts may branch on them. */
export const EXIT = Object.freeze({
  /** Success; for `inspect`, the token is valid. */
  OK: 0,
  /** An unexpected failure, or Explo's API did not issue a token. */
  FAILURE: 1,
  /** Bad flags, missing or invalid configuration (keys, API token). */
  USAGE: 2,
  /** The token is malformed (not a compact JWE with `dir` + `A256GCM`, bad claims). */
  MALFORMED: 3,
  /** Wrong key or unknown key id: the token cannot be decrypted with the keys given. */
  WRONG_KEY: 4,
  /** The token decrypted, but it has expired. */
  EXPIRED: 5,
});

/** Maps a coded library error to an exit code. */
export function exitCodeFor(code: string | undefined): number {
  switch (code) {
    case 'ERR_EXPLO_JWT_EXPIRED':
      return EXIT.EXPIRED;
    case 'ERR_EXPLO_JWT_UNKNOWN_KID':
    case 'ERR_EXPLO_JWT_DECRYPTION_FAILED':
      return EXIT.WRONG_KEY;
    case 'ERR_EXPLO_JWT_INVALID':
      return EXIT.MALFORMED;
    case 'ERR_EXPLO_OPTION_INVALID':
    case 'ERR_EXPLO_SECRET_INVALID':
    case 'ERR_EXPLO_KEY_LENGTH':
    case 'ERR_EXPLO_CUSTOMER_INVALID':
    case 'ERR_EXPLO_CLI_USAGE':
      return EXIT.USAGE;
    default:
      return EXIT.FAILURE;
  }
}
