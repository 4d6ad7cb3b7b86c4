const UNITS = [
  ['d', 86_400],
  ['h', 3600],
  ['min', 60],
  ['s', 1],
] as const;

/** A duration in words: the largest unit and the next one when not zero ("1 h 59 min", "3 min", "45 s", "2 d 4 h"). */
export function durationInWords(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const counts = UNITS.map(([, size], i) =>
    Math.floor((i === 0 ? seconds : seconds % (UNITS[i - 1] as (typeof UNITS)[number])[1]) / size),
  );
  const first = counts.findIndex((count) => count > 0);
  if (first === -1) return '0 s';
  const words = [`${counts[first]} ${UNITS[first]?.[0]}`];
  const next = counts[first + 1];
  if (next) words.push(`${next} ${UNITS[first + 1]?.[0]}`);
  return words.join(' ');
}

/** "expires in 1 h 59 min" or "expired 3 min ago", relative to `nowMs`. */
export function expiryInWords(expSeconds: number, nowMs: number): string {
  const delta = expSeconds - nowMs / 1000;
  return delta >= 0 ? `expires in ${durationInWords(delta)}` : `expired ${durationInWords(-delta)} ago`;
}
