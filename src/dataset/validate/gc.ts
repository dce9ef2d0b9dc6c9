import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection on demand. V8 grows its old generation lazily, so during a long
 * validation the process's RSS creeps up with garbage that is already dead; collecting every
 * ~128 MB of input keeps peak memory flat (each collection of these small heaps costs a few ms).
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

/** Bytes in the spaces only a full collection frees: old objects and large (>128 KB) ones. */
export function oldGenerationBytes(): number {
  let bytes = 0;
  for (const space of getHeapSpaceStatistics())
    if (space.space_name === 'old_space' || space.space_name === 'large_object_space')
      bytes += space.space_used_size;
  return bytes;
}

/**
 * Returns a check to call between chunks: it runs a full collection once the old generation has
 * grown by `growthBytes` since the last one. With a young generation large enough for a chunk's
 * records to die young, typical files never promote enough to trigger it (a collection every
 * N chunks cost a worker ~5% of its time for nothing); long records (large strings that outlive a
 * scavenge) do, and get collected before they pile up.
 */
export function oldGenerationGuard(
  growthBytes: number,
  measure: () => number = oldGenerationBytes,
  collect: () => void = collectGarbage,
): () => boolean {
  let baseline = measure();
  return () => {
    if (measure() - baseline < growthBytes) return false;
    collect();
    baseline = measure();
    return true;
  };
}
