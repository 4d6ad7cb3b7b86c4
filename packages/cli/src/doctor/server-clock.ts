import { durationInWords } from '../expiry-words.js';
import { quoteHostile } from '../terminal-safe.js';
import { type Finding, pass, warn } from './finding.js';

/** Past this, tokens the server mints look early or late to Explo. */
const MAX_SKEW_MS = 60_000;

/**
 * The server's clock (its `Date` header, whole seconds) against this machine's when the answer
 * arrived. A server clock that is off shifts every token's `exp` as Explo sees it.
 */
export function judgeClock(date: string | null, receivedAt: number): Finding {
  if (date === null) return warn('clock', 'the page has no Date header: its clock cannot be compared.');
  const server = Date.parse(date);
  if (Number.isNaN(server)) return warn('clock', `the page's Date header ${quoteHostile(date, 60)} is not a date.`);
  // The header has whole seconds: anything within one is no skew at all.
  const skew = server - receivedAt;
  const words = durationInWords(Math.abs(skew) / 1000);
  if (Math.abs(skew) <= MAX_SKEW_MS) {
    return pass('clock', `the server's clock agrees with this machine's${Math.abs(skew) < 1000 ? '' : ` (within ${words})`}.`);
  }
  return warn(
    'clock',
    `the server's clock is ${words} ${skew > 0 ? 'ahead of' : 'behind'} this machine's: its tokens expire ${skew > 0 ? 'late' : 'early'} as Explo sees them.`,
    "sync the server's clock (NTP); if this machine's is the one that is off, ignore this.",
  );
}
