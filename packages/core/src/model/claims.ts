import { ExploClaimsError, ExploOptionError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';

/** Report-builder features Explo documents for the `rbc` claim. */
export const REPORT_BUILDER_FEATURES = ['flt', 'srt', 'core', 'crt-view', 'fork'] as const;

/** A report-builder feature word for the `rbc` claim. */
export type ReportBuilderFeature = (typeof REPORT_BUILDER_FEATURES)[number];

/** Optional claims added to every token. */
export interface ExploClaimOptions {
  /**
   * Report-builder features allowed: a list of {@link ReportBuilderFeature} or `["*"]` for all.
   * Absent: Explo allows all.
   */
  rbc?: readonly ReportBuilderFeature[] | readonly ['*'];
  /** `true` disables editable-section editing on dashboards. */
  des?: boolean;
  /**
   * Origin of the page that embeds the dashboard; Explo then accepts the token only there.
   * `"https://app.example.com"` is normalised to `"https://app.example.com/"` (Explo needs the slash).
   */
  iss?: string;
}

/** Claims after validation, in the order they are written into the token. */
export interface NormalizedClaims {
  rbc?: string[];
  des?: boolean;
  iss?: string;
}

/** Validates and normalises optional claims. `where` prefixes messages (`"options.claims"`). */
export function normalizeClaims(value: unknown, where: string): NormalizedClaims {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ExploClaimsError(`${where} must be an object { rbc?, des?, iss? }.`);
  }
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (key !== 'rbc' && key !== 'des' && key !== 'iss') {
      throw new ExploClaimsError(`${where}: ${quoteUntrusted(key, 40)} is not a supported claim (rbc, des, iss).`);
    }
  }
  const out: NormalizedClaims = {};
  if (input.rbc !== undefined) out.rbc = normalizeRbc(input.rbc, `${where}.rbc`);
  if (input.des !== undefined) {
    if (typeof input.des !== 'boolean') throw new ExploClaimsError(`${where}.des must be a boolean.`);
    out.des = input.des;
  }
  if (input.iss !== undefined) out.iss = normalizeOrigin(input.iss, `${where}.iss`);
  return out;
}

function normalizeRbc(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) {
    throw new ExploClaimsError(`${where} must be an array of ${REPORT_BUILDER_FEATURES.join(', ')}, or ["*"].`);
  }
  const words = [...new Set(value)];
  if (words.includes('*')) {
    if (words.length > 1) throw new ExploClaimsError(`${where}: "*" means all features and cannot be combined.`);
    return ['*'];
  }
  for (const word of words) {
    if (!(REPORT_BUILDER_FEATURES as readonly unknown[]).includes(word)) {
      throw new ExploClaimsError(
        `${where}: ${quoteUntrusted(word, 40)} is not one of ${REPORT_BUILDER_FEATURES.join(', ')} or "*".`,
      );
    }
  }
  return words as string[];
}

/** `https://app.example.com` -> `https://app.example.com/`; anything but a bare http(s) origin is rejected. */
export function normalizeOrigin(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length > 2048) {
    throw new ExploClaimsError(`${where} must be an origin string such as "https://app.example.com/".`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ExploClaimsError(`${where} must be an origin such as "https://app.example.com/".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ExploClaimsError(`${where} must use http or https.`);
  }
  // URL() reads "https:app.example.com/" (as one of Explo's own examples prints it) as an origin;
  // Explo compares the text, so the slashes must really be there.
  if (!/^https?:\/\//i.test(value)) {
    throw new ExploClaimsError(`${where} must be written with "//" after the scheme, e.g. "${url.protocol}//${url.host}/".`);
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/' || /[?#]/.test(value)) {
    throw new ExploClaimsError(`${where} must be an origin only (scheme, host, port), with no path, query or hash.`);
  }
  return `${url.origin}/`;
}

/**
 * An origin given as an option (`cors.origins[0]`, `frameAncestors`...), with no trailing slash:
 * the same rules as {@link normalizeOrigin}, refused as an option error naming `where`.
 */
export function originOption(value: unknown, where: string): string {
  try {
    return normalizeOrigin(value, where).slice(0, -1);
  } catch (error) {
    if (error instanceof ExploClaimsError) throw new ExploOptionError(where, error.message.replace(`${where} `, ''));
    throw error;
  }
}

/**
 * An embedding page's origin in the form Explo needs for the `iss` claim and its domain allowlist:
 * `"https://app.example.com"` -> `"https://app.example.com/"`. Throws `ERR_EXPLO_CLAIMS_INVALID`
 * with the reason for anything else (a path, a query, a missing `//`...).
 */
export function toExploOrigin(value: string): string {
  return normalizeOrigin(value, 'The origin');
}
