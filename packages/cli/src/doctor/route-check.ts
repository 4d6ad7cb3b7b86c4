import { randomInt } from 'node:crypto';
import type { ExploSecret } from '@explo-embed/core';
import { durationInWords } from '../expiry-words.js';
import { quoteHostile } from '../terminal-safe.js';
import { type BoundedResponse, type FetchLimits, fetchBounded, jsonObject, status } from './bounded-fetch.js';
import { judgeCacheControl } from './cache-control.js';
import { type Finding, fail, pass, warn } from './finding.js';
import { type OpenedToken, openToken } from './open-token.js';

/** What the token route is checked with, and against. */
export interface RouteContext {
  /** The token route, with `fresh=1` (and `dashboard=<name>` when the page's dashboard has one). */
  url: URL;
  /** The signed-in user's Cookie header, if given. */
  cookie: string | undefined;
  keys: readonly ExploSecret[];
  limits: FetchLimits;
  /** The page's token, as found and as opened. */
  page: { jwt: string; opened: OpenedToken } | undefined;
}

/** A token minted longer ago than this (by the server's clock) was not minted for fresh=1. */
const STALE_SECONDS = 10;
const HEADERS = { accept: 'application/json', 'user-agent': 'explo-embed-doctor' };

/**
 * The token route, asked twice: as the signed-in user (`--cookie`), it must answer a fresh token
 * for the page's customer; without the cookie, 401. Returns the route's token too, for a page
 * that builds its embed in the browser (no token in its HTML).
 */
export async function checkRoute(context: RouteContext): Promise<{ findings: Finding[]; jwt?: string }> {
  const where = `the token route ${quoteHostile(context.url.pathname + context.url.search, 100)}`;
  const signedOut = await askSignedOut(context, where);
  if (context.cookie === undefined) {
    const skipped = warn(
      'route',
      `not checked as a signed-in user: ${where} needs --cookie.`,
      'pass --cookie with the Cookie header of a signed-in session.',
    );
    return { findings: [skipped, signedOut] };
  }
  const forged = await askForged(context, context.cookie, where);
  const outcome = await fetchBounded(context.url, { ...HEADERS, cookie: context.cookie }, context.limits);
  if (!outcome.ok) {
    return {
      findings: [fail('route', `${where}: ${outcome.reason}.`, 'check --token-url (default /explo/token).'), signedOut, forged],
    };
  }
  const answer = outcome.response;
  if (answer.status !== 200) return { findings: [refused(answer, where), signedOut, forged] };
  const jwt = (jsonObject(answer.body) as { jwt?: unknown } | undefined)?.jwt;
  if (typeof jwt !== 'string') {
    const cut = answer.truncated ? ` (it is larger than the ${context.limits.maxBytes / 1024} KiB doctor reads: cut there)` : '';
    return {
      findings: [
        fail(
          'route',
          `${where} answered 200, but not JSON with a "jwt"${cut}.`,
          'answer { jwt, expiresAt, expiresIn } as explo-embed does.',
        ),
        signedOut,
        forged,
      ],
    };
  }
  const cache = judgeCacheControl('route-cache', "the token route's answer", answer.headers, answer.receivedAt);
  return { findings: [await compare(jwt, answer, where, context), cache, signedOut, forged], jwt };
}

async function compare(jwt: string, answer: BoundedResponse, where: string, context: RouteContext): Promise<Finding> {
  const now = context.limits.now();
  const opened = await openToken(jwt, context.keys, now);
  if (opened.status === 'closed') return fail('route', `${where} answers a token that ${opened.reason}`, opened.fix);
  if (opened.status === 'no-key') {
    return warn('route', `${where} answers a token; no key is configured, so its customer was not compared.`);
  }
  if (opened.expired) {
    return fail(
      'route',
      `${where} answers a token that has already expired.`,
      "check the server's clock, and that fresh=1 mints anew.",
    );
  }
  const { cst, dsh, exp, iat } = opened.claims;
  const page = context.page?.opened.status === 'open' ? { jwt: context.page.jwt, claims: context.page.opened.claims } : undefined;
  const same = jwt === page?.jwt;
  // By the server's own clock (its Date header, the token's iat): no skew between them.
  const served = Date.parse(answer.headers.get('date') ?? '');
  const age = iat === undefined || Number.isNaN(served) ? undefined : served / 1000 - iat;
  if ((age !== undefined && age > STALE_SECONDS) || (age === undefined && same)) {
    const minted = age === undefined ? '' : `, minted ${durationInWords(age)} before,`;
    return warn(
      'route',
      `${where} answered ${same ? "the page's own token" : 'an old token'}${minted} to fresh=1: a refresh would not renew it.`,
      'honour fresh=1: mint a new token rather than reuse one.',
    );
  }
  if (page !== undefined && cst !== page.claims.cst) {
    return fail(
      'route',
      `${where} answers customer ${quoteHostile(cst)}, but the page's token is for ${quoteHostile(page.claims.cst)}.`,
      'the page and the token route must read the customer from the same signed-in session.',
    );
  }
  if (page !== undefined && dsh !== page.claims.dsh) {
    return warn(
      'route',
      `${where} answers embed id ${quoteHostile(dsh)}; the page embeds ${quoteHostile(page.claims.dsh)}.`,
      'ask for the dashboard the page shows (?dashboard=<name>).',
    );
  }
  const whose = page === undefined ? 'for customer' : 'for the same customer';
  // A route may hand one token to a burst of refreshes (explo-embed does for 2 s): the page's own, just minted, is fine.
  const shared = same ? " (the page's own, minted moments ago)" : '';
  return pass(
    'route',
    `${where} answers a fresh token${shared} ${whose} ${quoteHostile(cst)}, expiring in ${durationInWords(exp - now / 1000)}.`,
  );
}

async function askSignedOut(context: RouteContext, where: string): Promise<Finding> {
  const outcome = await fetchBounded(context.url, HEADERS, context.limits);
  if (!outcome.ok) return fail('route-auth', `${where}: ${outcome.reason}.`, 'check --token-url (default /explo/token).');
  const answer = outcome.response;
  switch (answer.status) {
    case 401:
      return pass('route-auth', `${where} answers 401 without the cookie.`);
    case 200:
      return answeredOk('route-auth', answer, `${where} answers 200 without any cookie`);
    case 404:
      return fail(
        'route-auth',
        `there is no token route at ${where} (HTTP 404).`,
        'pass --token-url <path> (default /explo/token).',
      );
    default:
      return warn(
        'route-auth',
        `${where} answers ${status(answer)} without the cookie, not 401.`,
        'answer 401 when nobody is signed in: the browser helper then says "signed out".',
      );
  }
}

/**
 * The route asked with a forged session: the signed-in user's cookie names, each with a random
 * value of the same length. A route that checks the session answers as it does with no cookie
 * (401, 403 or a redirect); one that answers a token only looks for a cookie to be there.
 */
async function askForged(context: RouteContext, cookie: string, where: string): Promise<Finding> {
  const outcome = await fetchBounded(context.url, { ...HEADERS, cookie: forge(cookie) }, context.limits);
  if (!outcome.ok) return fail('route-forged', `${where}: ${outcome.reason}.`, 'check --token-url (default /explo/token).');
  const answer = outcome.response;
  if (answer.status === 401 || answer.status === 403 || (answer.status >= 300 && answer.status < 400)) {
    return pass('route-forged', `${where} answers ${status(answer)} to a forged cookie (the same names, random values).`);
  }
  if (answer.status === 200) {
    return answeredOk('route-forged', answer, `${where} answers 200 to a forged cookie (the same names, random values)`);
  }
  return warn(
    'route-forged',
    `${where} answers ${status(answer)} to a forged cookie (the same names, random values), not 401.`,
    'answer 401 when the session in the cookie is not valid.',
  );
}

const COOKIE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The same cookie names, each value replaced by random characters of the same length (never the same value). */
export function forge(cookie: string): string {
  return cookie
    .split(';')
    .map((pair) => {
      const at = pair.indexOf('=');
      const [name, value] = at === -1 ? ['', pair.trim()] : [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      let random = value;
      while (random === value && value.length > 0) {
        random = Array.from({ length: value.length }, () => COOKIE_CHARS[randomInt(COOKIE_CHARS.length)]).join('');
      }
      return at === -1 ? random : `${name}=${random}`;
    })
    .join('; ');
}

/** A 200 where only a signed-in session should get one: a security hole when it holds a token. */
function answeredOk(check: string, answer: BoundedResponse, said: string): Finding {
  const jwt = (jsonObject(answer.body) as { jwt?: unknown } | undefined)?.jwt;
  const fix = 'read the customer from the signed-in session only, and answer 401 without a valid one.';
  if (typeof jwt === 'string') return fail(check, `${said}, with a token: it hands tokens to anyone.`, fix);
  const type = answer.headers.get('content-type');
  return warn(
    check,
    `${said}, with ${answer.bytes} bytes of ${quoteHostile(type, 60)} and no token, not 401: the browser helper cannot tell it is signed out.`,
    'answer 401 when nobody is signed in.',
  );
}

function refused(answer: BoundedResponse, where: string): Finding {
  const said = `${where} answered ${status(answer)} to the signed-in user (--cookie)`;
  if (answer.status === 404)
    return fail('route', `there is no token route at ${where} (HTTP 404).`, 'pass --token-url <path> (default /explo/token).');
  if (answer.status === 401 || answer.status === 403 || (answer.status >= 300 && answer.status < 400)) {
    return fail(
      'route',
      `${said}.`,
      'pass the Cookie header of a signed-in session, and have the route read the same session as the page.',
    );
  }
  return fail('route', `${said}.`, "see the server's log: the route answers 200 { jwt } whenever it can mint.");
}
