/** A value that is ready now, or will be. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Applies `next` at once to a value that is ready, or once a promise settles. The reuse-hit path is
 * built from these, so it resolves without a single microtask hop in between (each `await` of a
 * nested async function costs more than the whole lookup).
 */
export function whenReady<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
