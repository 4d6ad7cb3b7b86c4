// JSON.stringify escapes C0 controls, but not C1 controls (U+009B is a one-byte CSI on many
// terminals) nor the bidirectional overrides that reorder a line: a forged token could otherwise
// repaint the terminal or disguise a claim. Those are escaped too.
const UNSAFE_FOR_TERMINALS = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escapeCharacter = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** JSON for a terminal or a log line: valid JSON, with every character that could act on a terminal escaped. */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_FOR_TERMINALS, escapeCharacter);
}

/** Text for one line of output, unquoted: C0 controls (a newline, an escape) escaped as well. */
export function oneLineSafe(text: string): string {
  return text.replace(/[\u0000-\u001f]/g, escapeCharacter).replace(UNSAFE_FOR_TERMINALS, escapeCharacter);
}

/**
 * Text read from somewhere hostile (a web page, its headers, a token's claims) for one line of
 * output: quoted, cut to `max` characters, and terminal-safe. Anything but a string is described
 * by its type, so an object cannot smuggle a long or multi-line value into the line.
 */
export function quoteHostile(value: unknown, max = 80): string {
  if (typeof value !== 'string') {
    return value === null || typeof value === 'number' || typeof value === 'boolean' ? String(value) : `a ${typeof value}`;
  }
  return safeJson(value.length > max ? `${value.slice(0, max)}…` : value);
}
