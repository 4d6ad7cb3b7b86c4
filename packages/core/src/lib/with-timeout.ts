import { unref } from './unref.js';

/** Settles as `work` does, or rejects after `ms` with an Error saying so (the timer never holds a process open). */
export async function withTimeout<T>(work: () => Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(work),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
        unref(timer);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
