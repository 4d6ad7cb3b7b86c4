import { errorDocsUrl } from '../errors/docs-url.js';
import { EXPLO_ERROR_CODES as C, type ExploErrorCode } from '../errors/error-codes.js';
import { type ExploEmbedError, ExploHookError } from '../errors/errors.js';
import type { ExploErrorContext, ExploLogger } from '../options/options.js';

/**
 * What each server-side failure means for requests and where to look. Client errors (4xx) are not
 * logged. The error reference shows each hint under its code.
 */
export const MISCONFIG_HINTS: Partial<Record<ExploErrorCode, string>> = {
  [C.secretUnavailable]:
    'Requests get 503 with Retry-After until the secret provider answers: check the provider (credentials, network) and secretCache.timeout.',
  [C.secretInvalid]: 'Requests get 503 until the secret provider returns { keyId, keyValue } as Explo shows them.',
  [C.secretMissing]: 'Requests get 503 and health() reports the secret missing until the app runs with it set.',
  [C.keyLength]: 'Requests get 503 until the secret provider returns the key value exactly as Explo shows it.',
  [C.apiUnavailable]: "Requests get 503 until Explo's API answers: check outbound HTTPS to api.url.",
  [C.apiRejected]: 'Requests get 502 until api.token (and api.keyId, the embed ids) are right.',
  [C.apiBadResponse]:
    "Requests get 502: check that api.url is Explo's API, and that api.keyId and the secret belong to the API token's Data Visibility Group.",
  [C.apiRateLimited]:
    "Requests get 503 with Retry-After: Explo's API allows 180 requests per minute per IP address. The redis option gives a fleet one budget and mints each token once.",
  [C.storeUnavailable]:
    'No request fails for it: each instance goes on with what it has (its own tokens; with redis, its share of the API budget) until the store answers as it should.',
  [C.hookFailed]:
    'The token route answers 500 and pages get no token. Its message is not logged (it may hold anything): onError gets the error as `cause`.',
  [C.customerInvalid]: 'Requests get 500: the customer hook must return a string or number id (or nothing when logged out).',
  [C.claimsInvalid]: 'Requests get 500: the claims function must return { rbc?, des?, iss? } as documented.',
  [C.requestUnsupported]:
    'The token route answers 500 and pages show this error: hand the handler what the framework hands it (see the message).',
  [C.provisionFailed]:
    "Requests of customers this app has not provisioned yet get 503 with Retry-After until Explo's Customer API answers: check customers.apiToken, outbound HTTPS to customers.url, and what customers.provision returns (group tags must exist in Explo; a parent needs a lower hierarchyLevel). Customers already provisioned are not affected.",
  [C.provisionInvalid]:
    'Requests of customers not yet provisioned get 500: customers.provision must return { name?, properties?, groupTags?, emails?, parent?, hierarchyLevel?, mapping? } as documented.',
  [C.internal]: 'Requests get 500. This is a bug: please report it with the `cause` given to onError.',
};

const ONCE_PER_MS = 60_000;
// Secret failures are logged where they happen (the provider call), not again for each request they fail.
const SECRET_CODES: ReadonlySet<ExploErrorCode> = new Set([C.secretUnavailable, C.secretInvalid, C.keyLength, C.secretMissing]);

/**
 * Logs each server-side cause loudly (a bad secret from the provider, an unusable API token, a
 * provider that keeps failing, a throwing hook) with its code and fix, once per cause and minute,
 * never with a secret or a hook's own message, and with a link to the code's entry in the error
 * reference. Returns what the reporter calls for every failure.
 */
export function createMisconfigLog(
  logger: ExploLogger | false,
  clock: () => number,
): (error: ExploEmbedError, context: ExploErrorContext) => void {
  if (logger === false) return () => {};
  const lastLogged = new Map<string, number>();
  return (error, context) => {
    const hint = MISCONFIG_HINTS[error.code];
    if (hint === undefined || (SECRET_CODES.has(error.code) && context.phase !== 'secret')) return;
    const cause = error instanceof ExploHookError ? `${error.code}:${error.hook}` : error.code;
    const now = clock();
    const last = lastLogged.get(cause);
    if (last !== undefined && now - last < ONCE_PER_MS) return;
    lastLogged.set(cause, now);
    try {
      const where = error instanceof ExploHookError ? whereThrown(error.cause) : '';
      const line = `[explo-embed] ${error.code} (${context.phase}): ${error.message}${where} ${hint} See ${errorDocsUrl(error.code)}`;
      // A store outage costs some reuse, not a request: a warning, not an error.
      if (error.code === C.storeUnavailable) logger.warn(line);
      else logger.error(line);
    } catch {
      // A broken logger must not break a request.
    }
  };
}

/**
 * What a hook threw and where, without its message (which may hold anything, secrets included):
 * ` (TypeError at /app/dist/server.js:12:5)`. Enough to find the line without `onError`.
 */
function whereThrown(cause: unknown): string {
  if (!(cause instanceof Error)) return ` (it threw a ${cause === null ? 'null' : typeof cause}, not an Error)`;
  // The frames come after the message, which may span lines (and imitate a frame): skip it first.
  const stack = typeof cause.stack === 'string' ? cause.stack : '';
  const head = `${cause.name}: ${cause.message}`;
  const frames = stack.startsWith(head) ? stack.slice(head.length) : '';
  const frame = frames.split('\n').find((line) => /^\s+at /.test(line));
  const location = frame ? /\(([^()]+:\d+:\d+)\)\s*$|at ([^\s()]+:\d+:\d+)\s*$/.exec(frame) : null;
  const name = /^[A-Za-z_$][\w$]{0,63}$/.test(cause.name) ? cause.name : 'Error';
  const at = location?.[1] ?? location?.[2];
  // A file path and position, nothing else (no control characters, no spaces that could forge a line).
  const shown = at !== undefined && /^[\w./\\:@+~-]{1,300}:\d+:\d+$/.test(at) ? at.slice(-200) : undefined;
  return ` (${name}${shown ? ` at ${shown}` : ''})`;
}
