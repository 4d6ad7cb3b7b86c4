import { oneLineSafe } from './terminal-safe.js';

// Commander's message, and the suggestion it puts on a line of its own.
const COMMANDER_ERROR = /^(?:error: )?([\s\S]*?)(?:\n\(Did you mean ([\s\S]*)\))?\n*$/;

/**
 * Commander's usage error (`error: unknown option '--jsn'` then `(Did you mean --json?)` on the
 * next line) as the one line every failure of this command is:
 * `explo-embed: unknown option '--jsn' (did you mean --json?)`; without a suggestion, it points to
 * --help. An option echoed from argv cannot break the line or act on the terminal.
 */
export function usageErrorLine(text: string): string {
  const [, message = text, suggestion] = COMMANDER_ERROR.exec(text) ?? [];
  const after = suggestion === undefined ? '(run with --help for usage)' : `(did you mean ${suggestion})`;
  return `explo-embed: ${oneLineSafe(message)} ${oneLineSafe(after)}\n`;
}
