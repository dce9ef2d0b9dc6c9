import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection on demand. V8 grows its old generation lazily, so during a long
 * validation the process's RSS creeps up with garbage that is already dead; collecting every
 * ~64 MB of input keeps peak memory flat (each collection of these small heaps costs a few ms).
 * `--expose-gc` can be switched on at run time; the gc function then appears in new contexts.
 */
let gc: (() => void) | undefined;
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
