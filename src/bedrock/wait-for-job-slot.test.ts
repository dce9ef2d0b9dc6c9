import { describe, expect, it } from 'vitest';
import { TunekitError } from '../errors.ts';
import { jobSlotRetrier, whenJobSlotFree } from './wait-for-job-slot.ts';

const quota = () =>
  Object.assign(new Error('You have reached the maximum number of concurrent jobs'), {
    name: 'ServiceQuotaExceededException',
  });

/** A fake clock: sleeping advances it, so the bounded wait is checked without waiting. */
function clock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

describe('waiting for a free customization job slot', () => {
  it('retries only the quota error, with exponentially growing jittered waits, until the create succeeds', async () => {
    const c = clock();
    const lines: string[] = [];
    let calls = 0;
    const result = await whenJobSlotFree(
      async () => {
        calls++;
        if (calls < 5) throw quota();
        return { jobArn: 'arn:job' };
      },
      { ...c, random: () => 0.5, firstDelayMs: 1000, maxDelayMs: 4000, log: (l) => lines.push(l) },
    );
    expect(result).toEqual({ jobArn: 'arn:job' });
    // Full jitter at 0.5 of ceilings 1 s, 2 s, 4 s, 4 s (capped).
    expect(c.sleeps).toEqual([500, 1000, 2000, 2000]);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/at Bedrock's quota; retrying in 1 s \(waited 0 s of at most 360 min\)/);

    const other = Object.assign(new Error('bad'), { name: 'ValidationException' });
    await expect(whenJobSlotFree(() => Promise.reject(other), c)).rejects.toBe(other);
  });

  it('gives up after the bounded wait with the reason and what to do', async () => {
    const c = clock();
    const error = await whenJobSlotFree(() => Promise.reject(quota()), {
      ...c,
      random: () => 1,
      firstDelayMs: 60_000,
      maxWaitMs: 300_000,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(TunekitError);
    expect(error.code).toBe('BEDROCK.NO_JOB_SLOT');
    expect(error.message).toContain('in 5.0 min');
    expect(error.hint).toContain('at most 2 customization jobs');
    // Never sleeps past the bound.
    expect(c.sleeps.reduce((a, b) => a + b, 0)).toBe(300_000);
  });

  it('is the same policy as the pipeline’s Retry rule', () => {
    const rule = jobSlotRetrier();
    expect(rule).toMatchObject({
      ErrorEquals: ['Bedrock.ServiceQuotaExceededException'],
      IntervalSeconds: 30,
      BackoffRate: 2,
      MaxDelaySeconds: 600,
      JitterStrategy: 'FULL',
    });
    // 30+60+120+240+480 s, then 600 s each: 6 h needs 40 attempts.
    expect(rule.MaxAttempts).toBe(40);
  });
});
