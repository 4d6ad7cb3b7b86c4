import { type ExploJwtClaims, type ExploSecret, toExploOrigin } from '@explo-embed/core';
import { durationInWords } from '../expiry-words.js';
import { quoteHostile } from '../terminal-safe.js';
import { type Finding, fail, pass, warn } from './finding.js';
import { type OpenedToken, openToken } from './open-token.js';

/** What a token is judged against. */
export interface TokenContext {
  keys: readonly ExploSecret[];
  /** `EXPLO_DASHBOARDS` (name -> embed id), when set. */
  dashboards: Readonly<Record<string, string>> | undefined;
  /** The page's origin in Explo's `iss` form (with the trailing slash). */
  expectedIss: string;
  /** This machine's time, ms. */
  now: number;
}

const DAY = 86_400;
const SHORTEST = 30;
const MAX_FUTURE_IAT = 60;
/** A NumericDate past this (year 5138) is a time in milliseconds (Date.now()), not seconds. */
const MILLISECONDS = 1e11;
const SECONDS_FIX = 'write exp and iat in seconds, not milliseconds: Math.floor(Date.now() / 1000).';

/**
 * Judges the token a page embeds: it decrypts with the configured key(s), has not expired, lives
 * a sane time, names a customer and a known dashboard, and its `iss` is the page's origin as
 * Explo compares it. `source` names the token in the lines ("the page's token").
 */
export async function judgeToken(
  jwt: string,
  source: string,
  context: TokenContext,
): Promise<{ findings: Finding[]; opened: OpenedToken }> {
  const opened = await openToken(jwt, context.keys, context.now);
  if (opened.status === 'closed') return { findings: [fail('token', `${source} ${opened.reason}`, opened.fix)], opened };
  if (opened.status === 'no-key') {
    const message = `${source} has kid ${quoteHostile(opened.header.kid)}; no key is configured, so its claims were not checked.`;
    return {
      findings: [warn('token', message, 'set EXPLO_KEY_ID and EXPLO_KEY_VALUE (or pass --key-file) to check them.')],
      opened,
    };
  }
  const legacy = opened.ivLength === 16 ? ', 16-byte IV as Explo mints them' : '';
  const { claims } = opened;
  return {
    findings: [
      pass('token', `${source} decrypts with key ${quoteHostile(opened.header.kid)}${legacy}.`),
      judgeExpiry(claims, opened.expired, context.now),
      judgeLifetime(claims, context.now),
      judgeCustomer(claims.cst),
      judgeDashboard(claims.dsh, context.dashboards),
      judgeIss(claims.iss, context.expectedIss),
    ],
    opened,
  };
}

function judgeExpiry({ exp }: ExploJwtClaims, expired: boolean, now: number): Finding {
  if (exp > MILLISECONDS) {
    return fail(
      'expiry',
      `exp ${quoteHostile(exp)} is a time in milliseconds: read as seconds, the token never expires.`,
      SECONDS_FIX,
    );
  }
  const at = iso(exp);
  const left = exp - now / 1000;
  if (expired) {
    return fail(
      'expiry',
      `expired ${durationInWords(-left)} ago (${at}): Explo refuses it.`,
      'mint a token for each page view (no cached page or token past its time); the browser helper refreshes it before it ends.',
    );
  }
  if (left < 60) {
    return warn(
      'expiry',
      `expires in ${durationInWords(left)} (${at}): it may end before the dashboard loads.`,
      'serve tokens with more time left.',
    );
  }
  return pass('expiry', `expires in ${durationInWords(left)} (${at}).`);
}

function judgeLifetime({ exp, iat }: ExploJwtClaims, now: number): Finding {
  const longFix = 'mint for an hour or less and let the browser helper refresh it: a leaked page then stops working soon.';
  if (iat === undefined) {
    const left = exp - now / 1000;
    return left > DAY
      ? warn('lifetime', `no iat claim, and ${durationInWords(left)} left: longer than Explo's default of a day.`, longFix)
      : pass('lifetime', 'no iat claim (it is optional), so the lifetime is not known.');
  }
  const inMs = [exp > MILLISECONDS ? 'exp' : undefined, iat > MILLISECONDS ? 'iat' : undefined].filter((c) => c !== undefined);
  if (inMs.length > 0) {
    return fail(
      'lifetime',
      `${inMs.join(' and ')} ${inMs.length === 1 ? 'is a time' : 'are times'} in milliseconds (${inMs.map((c) => quoteHostile(c === 'exp' ? exp : iat)).join(', ')}): JWT times are in seconds.`,
      SECONDS_FIX,
    );
  }
  const lifetime = exp - iat;
  if (lifetime <= 0) {
    return fail(
      'lifetime',
      `exp (${iso(exp)}) is not after iat (${iso(iat)}): the token never was valid.`,
      'mint with exp = iat + a lifetime.',
    );
  }
  if (iat - now / 1000 > MAX_FUTURE_IAT) {
    return warn(
      'lifetime',
      `issued ${durationInWords(iat - now / 1000)} in the future (iat): the minting server's clock runs ahead.`,
      "sync the server's clock (NTP).",
    );
  }
  if (lifetime < SHORTEST) {
    return warn(
      'lifetime',
      `lifetime ${durationInWords(lifetime)}: the page may load after it has ended.`,
      `mint for at least ${SHORTEST} s.`,
    );
  }
  if (lifetime > DAY) {
    return warn('lifetime', `lifetime ${durationInWords(lifetime)}: longer than Explo's default of a day.`, longFix);
  }
  return pass('lifetime', `lifetime ${durationInWords(lifetime)}.`);
}

function judgeCustomer(cst: string): Finding {
  if (cst.trim() === '') return fail('customer', 'names no customer (cst is empty).', "mint with the signed-in customer's id.");
  if (cst !== cst.trim()) {
    return warn(
      'customer',
      `customer ${quoteHostile(cst)} has whitespace around it: Explo matches ids exactly.`,
      'trim it where the app reads the customer.',
    );
  }
  return pass('customer', `customer ${quoteHostile(cst)} (cst).`);
}

function judgeDashboard(dsh: string, dashboards: TokenContext['dashboards']): Finding {
  if (dashboards === undefined) {
    return warn(
      'dashboard',
      `embed id ${quoteHostile(dsh)}: set EXPLO_DASHBOARDS to check it is one of yours.`,
      'EXPLO_DASHBOARDS="sales=<embed id>,..." as the app reads it.',
    );
  }
  const name = Object.keys(dashboards).find((key) => dashboards[key] === dsh);
  if (name !== undefined) return pass('dashboard', `embed id ${quoteHostile(dsh)} (${quoteHostile(name)} in EXPLO_DASHBOARDS).`);
  return fail(
    'dashboard',
    `embed id ${quoteHostile(dsh)} is none of EXPLO_DASHBOARDS (${Object.keys(dashboards)
      .map((n) => quoteHostile(n))
      .join(', ')}).`,
    'mint for the embed id Explo shows for the dashboard (its Embed tab), or add it to EXPLO_DASHBOARDS if it is yours.',
  );
}

function judgeIss(iss: unknown, expected: string): Finding {
  if (iss === undefined) return pass('iss', 'no iss claim: Explo accepts it on any allowlisted domain.');
  if (iss === expected) return pass('iss', `iss ${quoteHostile(iss)} is this page's origin, as Explo writes it.`);
  const fix = `mint with iss ${expected} (this page's origin with the trailing slash), or without iss.`;
  let sameOrigin = false;
  try {
    sameOrigin = typeof iss === 'string' && toExploOrigin(iss) === expected;
  } catch {
    // Not an origin at all: the message below says so.
  }
  return sameOrigin
    ? fail('iss', `iss ${quoteHostile(iss)} is not written as Explo compares it: ${expected} (with the trailing slash).`, fix)
    : fail('iss', `iss ${quoteHostile(iss)} is not this page's origin ${expected}: Explo refuses the token here.`, fix);
}

// A NumericDate as ISO 8601; one past what Date holds is shown as the number.
function iso(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}
