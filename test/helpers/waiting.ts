/**
 * Waiting in tests, always bounded: for a promise to fail, for a condition to hold, for a call to
 * succeed (a client reconnecting in the background, a server becoming ready).
 */

/** The error `promise` rejects with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 25 ms until it holds; fails after `tries` polls. */
export async function until(check: () => boolean | Promise<boolean>, tries = 400): Promise<void> {
  for (let i = 0; !(await check()); i++) {
    if (i >= tries) throw new Error('the condition never held');
    await pause(25);
  }
}

/** Calls `fn` every 50 ms until it resolves; after `tries` calls its last error stands. */
export async function eventually<T>(fn: () => Promise<T>, tries = 200): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= tries) throw err;
      await pause(50);
    }
  }
}
