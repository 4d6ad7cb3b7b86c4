// C0 and C1 controls (ANSI escapes, newlines that forge log lines) and the bidirectional overrides
// that reorder what a terminal shows.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A string that came from outside (a token's header or claims, an upstream answer, a request),
 * made fit for an error message or a log line: quoted, control and direction characters replaced
 * by `?`, and cut to `max` characters. Anything that is not a string is described by its type.
 */
export function quoteUntrusted(value: unknown, max = 64): string {
  if (typeof value !== 'string') {
    return value === null
      ? 'null'
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : `a ${typeof value}`;
  }
  const clean = value.replace(UNSAFE, '?');
  return JSON.stringify(clean.length > max ? `${clean.slice(0, max)}…` : clean);
}
