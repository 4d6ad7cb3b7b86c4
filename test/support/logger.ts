import type { ExploLogger } from '@explo-embed/core';

/** A logger that keeps what it is told, for tests that exercise logging and assert on it. */
export function capturingLogger(): ExploLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (line) => void lines.push(`warn ${line}`), error: (line) => void lines.push(`error ${line}`) };
}
