import type { ExploErrorCode } from '../../../../packages/core/src/errors/error-codes.js';
import type { ErrorText } from './error-text.js';

/** An entry of a server-side code; `route` replaces the status line where the token route never answers it. */
export type ServerErrorText = ErrorText & { route?: string };

/**
 * The reference's text for every code of `@explo-embed/core` (raised by the core, so by every
 * adapter too). Typed by the core's own code table: a new code does not compile without its entry.
 */
export const SERVER_ERROR_TEXT = {
  ERR_EXPLO_OPTION_INVALID: {
    title: 'An option is missing or invalid',
    route: 'Thrown when the middleware, module, plugin or handler is created, before any request.',
    cause:
      'An option given to `createExploEmbed`, `exploEmbed` (Express, Koa), `ExploEmbedModule.forRoot` (NestJS), the Fastify plugin or `createExploFetch` is missing or has the wrong shape: no `dashboards`, a `route` without a leading `/`, a `secretCache.ttl` that is not a duration. Asking for a dashboard name the allowlist lacks from server code (`explo.jwt("nope")`) is one too.',
    sees: 'The app does not start: `Invalid option "route": must start with "/"`. The error\'s `option` names the option (`"secretCache.ttl"`); Fastify\'s `register()` (or `ready()`) rejects with it, NestJS fails at module init.',
    fix: "Correct the option the message names; each package's Options table says what it takes ([core](/packages/core#options-createexploembed)).",
  },
  ERR_EXPLO_SECRET_INVALID: {
    title: 'The embed secret is not `{ keyId, keyValue }`',
    cause:
      'The secret (the `secret` option, a key ring entry, or what a secret provider returned) is not an object of two strings `{ keyId, keyValue }`, or its key id is malformed.',
    sees: "A fixed secret: thrown at start-up. A provider's secret: each request that needs a token fails; the token route answers 503 with `Retry-After`, whose body says `ERR_EXPLO_SECRET_UNAVAILABLE` (the browser learns only that no secret is usable), and the server logs the cause once a minute.",
    fix: 'Pass the key id and key value exactly as Explo shows them for the Data Visibility Group (Settings > Data Visibility Groups): `secret: { keyId: process.env.EXPLO_KEY_ID!, keyValue: process.env.EXPLO_KEY_VALUE! }`.',
  },
  ERR_EXPLO_KEY_LENGTH: {
    title: 'The key value is not 32 bytes',
    cause:
      "Explo uses the key value's raw UTF-8 bytes as the AES-256-GCM key, so it must be exactly 32 bytes. A trailing newline from an env file or `echo`, a space, or a value someone base64-encoded or decoded makes it another length.",
    sees: 'The message gives the length and the likely reason, never the value: `options.secret.keyValue must be exactly 32 bytes of UTF-8; it is 33 bytes. It has leading or trailing whitespace...`. A fixed secret: thrown at start-up. From a provider: the token route answers 503 (body `ERR_EXPLO_SECRET_UNAVAILABLE`) and the server logs it. The CLI exits 2.',
    fix: 'Use the key value exactly as Explo shows it: trim the whitespace (`printf %s` rather than `echo`), and neither decode nor encode it.',
  },
  ERR_EXPLO_SECRET_MISSING: {
    title: 'The embed secret is not set',
    cause:
      "The fixed secret's key id or key value is `undefined` or empty where the app runs: an environment variable set at build time (or in your shell) but not in the running process. It is not a start-up error on purpose, so `next build` and CI run without secrets.",
    sees: 'Every request that needs a token fails: the token route answers 503 with `Retry-After` (body `ERR_EXPLO_SECRET_UNAVAILABLE`), a logged-in page gets no token and `exploError` carries this code, `health()` reports `secret: "missing"`, and the server logs it once with the option\'s name.',
    fix: 'Set the variables (say `EXPLO_KEY_ID`, `EXPLO_KEY_VALUE`) in the environment the server runs in, then restart it. [Health](/production#health) shows when it is set.',
  },
  ERR_EXPLO_SECRET_UNAVAILABLE: {
    title: 'No usable embed secret right now',
    cause:
      'The secret provider (a function that fetches the secret, from a secret manager say) threw, took longer than `secretCache.timeout`, or returned a bad secret, and no recently good secret is left to use.',
    sees: "The token route answers 503 with `Retry-After`; pages get no token; the browser helper retries (`ERR_EXPLO_SERVER`). The server logs the provider's failure once a minute.",
    fix: 'Check the provider: its credentials, its network, the secret it returns. A slow secret manager may need a longer `secretCache.timeout`. Requests recover by themselves when the provider answers.',
  },
  ERR_EXPLO_CUSTOMER_INVALID: {
    title: 'The customer id is not usable',
    cause:
      "The `customer` hook (or the session's `customerId`) returned an id that is empty, longer than 512 characters, or neither a string nor a finite number. `explo-embed mint --customer` checks the same.",
    sees: 'The token route answers 500 with a fixed detail (the cause stays in the server logs, logged once a minute); a page gets no token and `exploError` carries the code. The CLI exits 2.',
    fix: 'Return the customer id exactly as your app gave it to Explo (`cst`), as a string or number, and `undefined` when nobody is logged in.',
  },
  ERR_EXPLO_DASHBOARD_UNKNOWN: {
    title: 'The dashboard is not in the allowlist',
    cause:
      'A request named a dashboard (`GET /explo/token?dashboard=...`, `page(request, { dashboard })`) that is not a key of the `dashboards` option. The browser only ever sees names: embed ids stay on the server.',
    sees: 'The token route answers 404 `Unknown dashboard "x": it is not in the dashboards allowlist.`; in the page, the browser helper and the components end with `ERR_EXPLO_REFUSED` (status 404).',
    fix: 'Add the name to `dashboards: { sales: "<embed id>" }`, or ask for a name that is there (the component\'s `dashboard` prop, the helper\'s `dashboard` option).',
  },
  ERR_EXPLO_CLAIMS_INVALID: {
    title: 'The claims are invalid',
    cause:
      'The `claims` option (or function) gave something other than `{ rbc?, des?, iss? }`: a report-builder feature outside `flt`, `srt`, `core`, `crt-view`, `fork` (or `"*"` alone), a `des` that is not a boolean, or an `iss` that is not an origin written `https://app.example.com/`.',
    sees: 'The token route answers 500 with a fixed detail; the server logs the message once a minute (`claims.iss must be written with "//" after the scheme...`); a page gets no token.',
    fix: 'Return the claims as the message says; leave one out rather than guess it (`rbc` absent means all features).',
  },
  ERR_EXPLO_HOOK_FAILED: {
    title: 'One of your hooks threw',
    cause:
      "Your `customer`, `authorize` or `claims` function, `customers.provision`, or an adapter's `attach` filter threw or rejected.",
    sees: "The token route answers 500 with a fixed detail; pages get no token. The server logs which hook failed and where it threw (`(TypeError at /app/dist/server.js:12:5)`), never the error's message, which may hold anything. `onError` receives the error with the original as `cause`.",
    fix: 'Fix the hook at the place the log names; read `cause` in `onError` for its message. A hook that can fail on bad input should return `undefined` (customer) or `false` (authorize) instead of throwing.',
  },
  ERR_EXPLO_QUERY_INVALID: {
    title: "The token route's query is malformed",
    cause:
      '`dashboard` or `fresh` was repeated, sent as an array or object, empty, or longer than 128 characters. Other query parameters are ignored.',
    sees: 'The token route answers 400 with the reason as `detail`; the browser helper ends with `ERR_EXPLO_REFUSED`.',
    fix: 'Send at most one `dashboard=<name>` and one `fresh=1`. The browser helper and the components build this URL themselves: look at code of your own that calls the route.',
  },
  ERR_EXPLO_UNAUTHENTICATED: {
    title: 'No customer: nobody is logged in',
    cause:
      'The `customer` hook found no customer for the request (by default `req.session.customerId`): the user is not logged in, their session expired, or the session is not read where the middleware runs (session middleware registered after explo-embed, a cookie not sent to the token route).',
    sees: 'The token route answers 401. A page gets no token and no error (a logged-out page is normal).',
    fix: 'Log the user in. If they are logged in: register your session middleware before explo-embed, and make the `customer` hook read the same session your login writes.',
  },
  ERR_EXPLO_FORBIDDEN: {
    title: 'Your authorize hook refused',
    cause: 'Your `authorize` function returned false for this customer and dashboard.',
    sees: 'The token route answers 403; the browser helper and the components end with `ERR_EXPLO_FORBIDDEN`.',
    fix: 'Nothing, if the refusal is meant. Otherwise change `authorize`, or stop showing that dashboard to that customer.',
  },
  ERR_EXPLO_METHOD_NOT_ALLOWED: {
    title: 'The token route takes GET only',
    cause: 'Something called the token route with POST, PUT or another method.',
    sees: 'The token route answers 405 with `Allow: GET`.',
    fix: 'Call it with GET. In frameworks that route by method, mount the route for GET and let other methods reach it too (`fallback` in SvelteKit, `app.all` in Hono), so they get this 405 rather than your 404 page.',
  },
  ERR_EXPLO_INTERNAL: {
    title: 'Something unexpected failed',
    cause: 'A failure the library did not expect: a bug, not bad input.',
    sees: 'The token route answers 500 with a fixed detail; the server logs it, and `onError` gets the original error as `cause`.',
    fix: "Please report it, with the `cause` from `onError` and the version, at [the repository's issues](https://github.com/explo-embed/explo-embed/issues).",
  },
  ERR_EXPLO_REQUEST_UNSUPPORTED: {
    title: 'A handler was given something that is not a request',
    cause:
      "An `@explo-embed/fetch` handler (`tokenRoute`, `page`) was given something other than what the framework hands it (a `Request`, an event holding one, an h3 event): Hono's `c` instead of `c.req.raw`, a URL string, a Node `IncomingMessage`.",
    sees: 'The token route answers 500; `page()` returns the error as `exploError`, so a logged-in customer never silently gets a page without a token. The server logs what was passed and what to pass instead.',
    fix: 'Pass what your framework hands the handler, as [each guide](/guides/) shows: `c.req.raw` in Hono, the event itself in SvelteKit and Nuxt.',
  },
  ERR_EXPLO_JWT_INVALID: {
    title: 'Not a well-formed Explo token',
    route: 'Never answered: raised where a token is read (`decryptExploJwt`, `explo-embed inspect`, the stand-in).',
    cause:
      'The string is not a compact JWE with `dir` and `A256GCM` (five segments, the second empty), or its header, IV or claims are malformed: a signed JWT, a truncated token, a header nested too deep.',
    sees: '`decryptExploJwt` throws it; `explo-embed inspect` exits 3 (malformed); the stand-in shows `rejected: ERR_EXPLO_JWT_INVALID`.',
    fix: "Pass the whole token as it was minted. Explo tokens are encrypted (JWE), not signed: a JWT library's `verify` cannot read them.",
  },
  ERR_EXPLO_JWT_UNKNOWN_KID: {
    title: "No key has the token's key id",
    route: 'Never answered: raised where a token is read.',
    cause:
      "The token's `kid` header names none of the keys given: a token from another Data Visibility Group, or a key rotated out of the ring.",
    sees: '`decryptExploJwt` throws it; `explo-embed inspect` exits 4 (wrong key); the stand-in shows it for a token made with a key it was not given.',
    fix: 'Pass the key with that id (or the whole key ring). When you [rotate keys](/production#rotating-the-embed-secret), keep the old one until its tokens have expired.',
  },
  ERR_EXPLO_JWT_DECRYPTION_FAILED: {
    title: 'The token does not decrypt',
    route: 'Never answered: raised where a token is read.',
    cause: 'The key id matches but the key value does not, or the token was altered or cut in transit.',
    sees: '`decryptExploJwt` throws it; `explo-embed inspect` exits 4; the stand-in shows it.',
    fix: "Check the key value that goes with the token's key id; copy the token whole.",
  },
  ERR_EXPLO_JWT_EXPIRED: {
    title: 'The token has expired',
    route: 'Never answered: raised where a token is read.',
    cause: "The token's `exp` has passed (beyond the `clockTolerance` allowed).",
    sees: '`decryptExploJwt` throws it, with `expiredAt`, `claims` and `header`; `explo-embed inspect` exits 5 and says how long ago; the stand-in shows `rejected: ERR_EXPLO_JWT_EXPIRED`.',
    fix: "Mint a new token. In the page, `@explo-embed/browser` (and every component) renews tokens before they expire; if a token expires anyway, check the server's clock.",
  },
  ERR_EXPLO_API_UNAVAILABLE: {
    title: "Explo's API is not answering",
    cause:
      "With `api` (minting through Explo's API): the API could not be reached, timed out, or answered 5xx after the retries.",
    sees: 'The token route answers 503 with `Retry-After`; the browser helper retries. The server logs it once a minute.',
    fix: 'Check that the server can reach `api.url` over HTTPS (a proxy, a firewall, DNS). Requests recover by themselves when the API answers; local minting with the embed secret does not depend on the API at all.',
  },
  ERR_EXPLO_API_REJECTED: {
    title: "Explo's API refused the request",
    cause:
      "Explo's API answered 4xx: a wrong API token (401, 403: a token belongs to one Data Visibility Group), or a key id or embed id it does not know.",
    sees: "The token route answers 502 with a fixed detail; the server logs `Explo's API refused to issue a token (HTTP 403). Check the API token...`. The CLI's `mint --via-api` exits 1.",
    fix: 'Check `api.token`, `api.keyId` and the embed ids in `dashboards`. `explo-embed doctor --api-token` confirms each embed id with Explo ([the CLI](/cli#doctor)).',
  },
  ERR_EXPLO_API_BAD_RESPONSE: {
    title: "Explo's API answered without a token",
    cause:
      'Explo\'s API answered, but not `{ "success": 1, "jwt": "..." }`; or its token names another key id than `api.keyId`, or fails the checks under the `secret` (another customer or dashboard, a later expiry than asked, a key of another Data Visibility Group).',
    sees: 'The token route answers 502 with a fixed detail; the server logs it.',
    fix: "Check that `api.url` is Explo's API (every path needs its trailing slash, or Explo answers `Method not allowed`). With `api.keyId` or a `secret` beside `api.token`, both must be the key of the API token's Data Visibility Group (Settings > Data Visibility Groups): the message says which check failed.",
  },
  ERR_EXPLO_API_RATE_LIMITED: {
    title: "Explo's API rate limit is reached",
    cause:
      "Explo's API allows 180 requests per minute per IP address. The budget of calls is spent and the queue is full, or Explo answered 429 for longer than `maxWait`.",
    sees: 'The token route answers 503 with `Retry-After`; the browser helper waits that long (at most 60 s) before it asks again. The server logs it once a minute.',
    fix: 'Tokens are reused per customer and dashboard already; with several instances, give them one Redis (`redis`), so [the fleet](/production#a-fleet-on-one-redis) mints each token once and shares one budget. Minting locally with the embed secret makes no API calls at all.',
  },
  ERR_EXPLO_FRESH_RATE_LIMITED: {
    title: 'Too many fresh tokens for one customer',
    cause:
      'One customer asked for more fresh tokens (`?fresh=1`) than `reuse.freshPerMinute` (default 12) across its dashboards, and has no token with life left to reuse. The limit keeps one customer from draining the budget of Explo API calls.',
    sees: 'The token route answers 429 with `Retry-After`, for that customer only; the browser helper retries (`ERR_EXPLO_SERVER`) after it.',
    fix: 'Look for code of your own that calls the route with `fresh=1` in a loop; `@explo-embed/browser` asks once per token. Raise `reuse.freshPerMinute` only if a customer really needs more.',
  },
  ERR_EXPLO_TOKEN_PENDING: {
    title: "The page's token was not ready yet",
    route: "Never answered: only a page's template values (`exploError`) carry it.",
    cause:
      'With a middleware adapter (Express, Koa, Fastify, NestJS), a page read its token while it rendered, when the token could not be had at once: a hook answered asynchronously for the first time, or the key material was still loading.',
    sees: 'That page renders without a token and `exploError` carries the code. The middleware learns from it: later requests wait for the token before the handler runs.',
    fix: 'Usually nothing: it happens on the first requests only. Show `exploError` as "try again" rather than as a login prompt.',
  },
  ERR_EXPLO_HEADERS_SENT: {
    title: 'The token was read after the headers went out',
    route: "Never answered: only a page's template values (`exploError`) carry it.",
    cause:
      "With a middleware adapter, a page read its token after its response's headers were sent (streamed rendering: the shell flushed, a later part reads `exploJwt`). The response can no longer be marked `private, no-store`, so a shared cache could keep one customer's token.",
    sees: 'That page gets no token; `exploError` carries the code.',
    fix: 'Read the token before the first flush (before streaming starts), and pass it down.',
  },
  ERR_EXPLO_STORE_UNAVAILABLE: {
    title: 'The shared token store is failing',
    route: 'Never answered: a store failure costs sharing, never a request.',
    cause:
      "`reuse.store` or `redis` failed or was slow, or Redis holds an API budget count none of the app's instances could have written.",
    sees: 'No request fails. A warning is logged once a minute; each instance goes on with its own tokens and, with `redis`, its share of the API budget, until the store answers.',
    fix: 'Check Redis (its address, credentials, memory, latency). Nothing else is needed: sharing resumes by itself.',
  },
  ERR_EXPLO_PROVISION_FAILED: {
    title: 'Explo could not be told about a new customer',
    cause:
      "With `customers`: Explo's Customer API did not get, create or update a customer this app has not provisioned yet (it failed, timed out, refused the fields, or the call budget was spent). No token is issued for a customer Explo may not know.",
    sees: "The token route answers 503 with `Retry-After` for customers not yet provisioned; customers already provisioned are not affected. The server logs the cause once a minute; `onError` gets Explo's error as `cause`.",
    fix: 'Check `customers.apiToken`, outbound HTTPS to `customers.url`, and what `customers.provision` returns: group tags must exist in Explo, and a parent needs a lower `hierarchyLevel`. See [customers provisioned on their first visit](/production#customers-provisioned-on-their-first-visit).',
  },
  ERR_EXPLO_PROVISION_INVALID: {
    title: 'customers.provision returned something unusable',
    cause:
      '`customers.provision` returned something that is not `{ name?, properties?, groupTags?, emails?, parent?, hierarchyLevel?, mapping? }`. (A `provision` that throws is `ERR_EXPLO_HOOK_FAILED`.)',
    sees: 'The token route answers 500 for customers not yet provisioned; the server logs the message, which names the field.',
    fix: 'Return the customer body as documented, with the field the message names corrected.',
  },
} as const satisfies Record<ExploErrorCode, ServerErrorText>;
