import { quoteHostile, safeJson } from '../terminal-safe.js';
import type { CheckStatus, Finding } from './finding.js';

// A last guard: every value from the page is already quoted, but no line may carry a character
// that acts on a terminal (C0 but the newline, C1, direction overrides).
const TERMINAL_ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const ORDER: readonly CheckStatus[] = ['fail', 'warn', 'pass', 'note'];
const WORDS: Readonly<Record<CheckStatus, [string, string]>> = {
  fail: ['failed', 'failed'],
  warn: ['warning', 'warnings'],
  pass: ['passed', 'passed'],
  note: ['note', 'notes'],
};

/** How many findings have each status. */
export function countByStatus(findings: readonly Finding[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, note: 0 };
  for (const finding of findings) counts[finding.status]++;
  return counts;
}

/** The checklist for a terminal: one line per check, its fix indented below, a summary last. */
export function renderText(page: URL, findings: readonly Finding[]): string {
  const width = Math.max(...findings.map((f) => f.check.length));
  const lines = [`explo-embed doctor ${quoteHostile(page.href, 200)}`];
  for (const { check, status, message, fix } of findings) {
    lines.push(`${status.padEnd(6)}${check.padEnd(width + 2)}${message}`);
    if (fix !== undefined) lines.push(`${' '.repeat(width + 8)}fix: ${fix}`);
  }
  const counts = countByStatus(findings);
  const parts = ORDER.filter((status) => counts[status] > 0).map(
    (status) => `${counts[status]} ${WORDS[status][counts[status] === 1 ? 0 : 1]}`,
  );
  lines.push(`${counts.fail === 0 ? 'Nothing failed' : 'Something failed'}: ${parts.join(', ')}.`);
  return `${lines.join('\n').replace(TERMINAL_ACTIVE, '?')}\n`;
}

/** The checklist for scripts: `{ page, ok, summary, checks: [{ check, status, message, fix? }] }`. */
export function renderJson(page: URL, findings: readonly Finding[]): string {
  const summary = countByStatus(findings);
  return `${safeJson({ page: page.href, ok: summary.fail === 0, summary, checks: findings }, 2)}\n`;
}
