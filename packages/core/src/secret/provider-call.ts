import { unref } from '../lib/unref.js';
import type { ExploSecretProvider } from '../options/options.js';

/**
 * Calls the host's secret provider with an abort signal and a time limit. A call nobody awaits (a
 * background refresh) does not hold a finished process open.
 */
export async function callWithTimeout(
  provider: ExploSecretProvider,
  outer: AbortSignal,
  timeoutMs: number,
  waited: boolean,
): Promise<unknown> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer.reason);
  outer.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(() => provider({ signal: controller.signal })),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new TimeoutError(timeoutMs);
          controller.abort(error);
          reject(error);
        }, timeoutMs);
        // A process whose only work is waiting for the secret must get its error, not exit; a
        // background refresh, which nobody awaits, must not hold a finished process open.
        if (!waited) unref(timer);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', onAbort);
  }
}

export class TimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The secret provider did not answer within ${timeoutMs} ms.`);
  }
}

export function describeFailure(cause: unknown, timeoutMs: number): string {
  if (cause instanceof TimeoutError) return `the secret provider did not answer within ${timeoutMs} ms (secretCache.timeout).`;
  // The provider's own message is not repeated: it could hold anything, secrets included.
  return 'the secret provider threw or rejected (see `cause`).';
}
