import { describe, expect, it } from 'vitest';
import { oldGenerationBytes, oldGenerationGuard } from './gc.ts';

describe('oldGenerationGuard', () => {
  it('collects only once the old generation grew by the given bytes, then measures growth from there', () => {
    let old = 10_000;
    let collections = 0;
    const check = oldGenerationGuard(
      4_000,
      () => old,
      () => {
        collections++;
        old -= 3_000; // the collection frees most of the growth
      },
    );
    old += 3_999;
    expect(check()).toBe(false);
    old += 1;
    expect(check()).toBe(true);
    expect(collections).toBe(1);
    // Baseline is now the post-collection size (11,000): 3,999 more is not enough, 4,000 is.
    old += 3_999;
    expect(check()).toBe(false);
    old += 1;
    expect(check()).toBe(true);
    expect(collections).toBe(2);
  });

  it('measures the real heap: a part of the heap in use', () => {
    expect(oldGenerationBytes()).toBeGreaterThan(0);
    expect(oldGenerationBytes()).toBeLessThan(process.memoryUsage().heapUsed);
  });
});
