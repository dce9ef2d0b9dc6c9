import { describe, expect, it } from 'vitest';
import { LIMIT, largestPayload, runLargeSuite } from './pipeline-limits.ts';

/** The issue's scale: 1,000 cases, three models (baseline, candidate, production), long answers. */
describe('pipeline under the 256 KiB Step Functions limit at 1,000 cases', () => {
  it('succeeds with every state input and output under 256 KiB', async () => {
    const started = Date.now();
    const { first, second, reportBytes } = await runLargeSuite(1000);
    const largest = [first, second].map((run) => largestPayload(run.events));
    for (const l of largest) expect(l.bytes, l.where).toBeLessThanOrEqual(LIMIT);
    console.log(
      `1,000 cases: ${((Date.now() - started) / 1000).toFixed(1)} s for two runs; report ${reportBytes} bytes; ` +
        `largest state payload ${largest.map((l) => `${l.bytes} B (${l.where})`).join(', ')}`,
    );
  }, 900_000);
});
