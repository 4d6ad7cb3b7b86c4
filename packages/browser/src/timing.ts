/** Retries never come sooner than this, and never later than the cap. */
export const FLOOR_MS = 1_000;
const CAP_MS = 60_000;

/** Seconds before expiry at which to refresh a token that has `expiresIn` seconds left. */
export function leadSeconds(expiresIn: number, refreshBefore?: number): number {
  const lead = refreshBefore ?? Math.min(60, Math.max(5, expiresIn * 0.2));
  return Math.min(lead, expiresIn / 2);
}

/**
 * The wait before attempt `attempt + 1`: exponential from 1 s with up to 50% jitter, capped at 60 s.
 * A `Retry-After` (seconds or a date) may lengthen it, never shorten it: `Retry-After: 0` still waits.
 */
export function backoffMs(attempt: number, random: number, retryAfter: string | null = null, nowMs = Date.now()): number {
  const base = Math.min(CAP_MS, FLOOR_MS * 2 ** attempt);
  let wait = base + (random * base) / 2;
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    const asked = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - nowMs;
    if (asked > wait) wait = asked;
  }
  return Math.min(CAP_MS, Math.max(FLOOR_MS, wait));
}
