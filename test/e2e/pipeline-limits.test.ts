import { describe, expect, it } from 'vitest';
import { LIMIT, largestPayload, runLargeSuite } from './pipeline-limits.ts';

/**
 * Step Functions' 256 KiB payload limit, enforced by the local runner, at a suite size where answers kept
 * in the state would exceed it (150 cases x 3 models x ~1.6 KB answers ≈ 700 KB). The 1,000-case run is
 * pipeline-limits.slow.test.ts.
 */
describe('pipeline under the 256 KiB Step Functions limit', () => {
  it('a 150-case suite with long answers and three models succeeds; no state carries more than 256 KiB', async () => {
    const { first, second, reportBytes } = await runLargeSuite(150);
    expect(reportBytes).toBeGreaterThan(2 * LIMIT); // what the old design carried through the state
    for (const run of [first, second]) {
      const largest = largestPayload(run.events);
      expect(largest.bytes, largest.where).toBeLessThanOrEqual(LIMIT);
    }
  }, 60_000);
});
