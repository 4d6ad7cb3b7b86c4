/**
 * Lets a process exit while `timer` is pending (Node). Timers are plain numbers on Workers and
 * other edge runtimes, where nothing holds a process open: there is nothing to do there.
 */
export function unref(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}
