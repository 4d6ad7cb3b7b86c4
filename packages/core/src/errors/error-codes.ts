/**
 * Every `code` an {@link ExploEmbedError} can carry, by name; each code string is written here and
 * nowhere else (the error classes, the HTTP status map and the docs read it from here).
 */
export const EXPLO_ERROR_CODES = Object.freeze({
  optionInvalid: 'ERR_EXPLO_OPTION_INVALID',
  secretInvalid: 'ERR_EXPLO_SECRET_INVALID',
  keyLength: 'ERR_EXPLO_KEY_LENGTH',
  secretMissing: 'ERR_EXPLO_SECRET_MISSING',
  secretUnavailable: 'ERR_EXPLO_SECRET_UNAVAILABLE',
  customerInvalid: 'ERR_EXPLO_CUSTOMER_INVALID',
  dashboardUnknown: 'ERR_EXPLO_DASHBOARD_UNKNOWN',
  claimsInvalid: 'ERR_EXPLO_CLAIMS_INVALID',
  hookFailed: 'ERR_EXPLO_HOOK_FAILED',
  queryInvalid: 'ERR_EXPLO_QUERY_INVALID',
  unauthenticated: 'ERR_EXPLO_UNAUTHENTICATED',
  forbidden: 'ERR_EXPLO_FORBIDDEN',
  methodNotAllowed: 'ERR_EXPLO_METHOD_NOT_ALLOWED',
  internal: 'ERR_EXPLO_INTERNAL',
  requestUnsupported: 'ERR_EXPLO_REQUEST_UNSUPPORTED',
  jwtInvalid: 'ERR_EXPLO_JWT_INVALID',
  jwtUnknownKid: 'ERR_EXPLO_JWT_UNKNOWN_KID',
  jwtDecryptionFailed: 'ERR_EXPLO_JWT_DECRYPTION_FAILED',
  jwtExpired: 'ERR_EXPLO_JWT_EXPIRED',
  apiUnavailable: 'ERR_EXPLO_API_UNAVAILABLE',
  apiRejected: 'ERR_EXPLO_API_REJECTED',
  apiBadResponse: 'ERR_EXPLO_API_BAD_RESPONSE',
  apiRateLimited: 'ERR_EXPLO_API_RATE_LIMITED',
  freshRateLimited: 'ERR_EXPLO_FRESH_RATE_LIMITED',
  tokenPending: 'ERR_EXPLO_TOKEN_PENDING',
  headersSent: 'ERR_EXPLO_HEADERS_SENT',
  storeUnavailable: 'ERR_EXPLO_STORE_UNAVAILABLE',
  provisionFailed: 'ERR_EXPLO_PROVISION_FAILED',
  provisionInvalid: 'ERR_EXPLO_PROVISION_INVALID',
} as const);

/** One of {@link EXPLO_ERROR_CODES}: `switch (error.code)` narrows on it. */
export type ExploErrorCode = (typeof EXPLO_ERROR_CODES)[keyof typeof EXPLO_ERROR_CODES];
