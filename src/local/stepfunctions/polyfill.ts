/**
 * aws-local-stepfunctions 3.0.0 targets Node >= 22 and calls `Promise.withResolvers`; on Node 20 every
 * Task would fail with "Promise.withResolvers is not a function" (platform-notes.md). Installed once,
 * before the library runs anything.
 */
export function installPromiseWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: unknown };
  if (typeof P.withResolvers === 'function') return;
  P.withResolvers = <T>() => {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
