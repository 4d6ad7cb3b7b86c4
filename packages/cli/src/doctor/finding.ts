/**
 * How one line of `doctor` came out: `pass`; `warn` (works, but worth fixing); `fail` (the embed
 * breaks, or a security hole); `note` (a reminder doctor cannot check from outside).
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'note';

/** One line of the `doctor` checklist. `check` is a stable id for scripts reading `--json`. */
export interface Finding {
  check: string;
  status: CheckStatus;
  /** What was found. Anything read from the page is quoted and bounded in it. */
  message: string;
  /** What to change, for `warn` and `fail`. */
  fix?: string;
}

/** A check that passed. */
export const pass = (check: string, message: string): Finding => ({ check, status: 'pass', message });

/** A reminder of something doctor cannot see from outside; it never fails the run. */
export const note = (check: string, message: string): Finding => ({ check, status: 'note', message });

/** Works, but worth fixing (with the fix when there is one). */
export const warn = (check: string, message: string, fix?: string): Finding =>
  fix === undefined ? { check, status: 'warn', message } : { check, status: 'warn', message, fix };

/** The embed breaks here, or a security hole: the run exits 1. */
export const fail = (check: string, message: string, fix: string): Finding => ({ check, status: 'fail', message, fix });
