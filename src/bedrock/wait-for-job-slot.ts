import { TunekitError } from '../errors.ts';

/**
 * Bedrock runs at most 2 model customization jobs per account at once (not adjustable; bedrock-facts §0.6)
 * and refuses a third CreateModelCustomizationJob with ServiceQuotaExceededException (HTTP 400, botocore
 * `bedrock` service model). A third upload must wait for a slot, not fail: retry the create with
 * exponential backoff and full jitter (as Step Functions' `JitterStrategy: FULL`), bounded in total.
 * The same policy drives the pipeline's Retry on StartFineTuningJob (jobSlotRetrier), so both paths wait alike.
 */

export interface JobSlotPolicy {
  /** First wait's ceiling; each next one doubles (backoffRate) up to maxDelayMs. */
  firstDelayMs: number;
  backoffRate: number;
  maxDelayMs: number;
  /** Give up after waiting this long in total. */
  maxWaitMs: number;
}

/** Training jobs take from minutes to hours: wait up to 6 h, retrying at most every 10 min. */
export const JOB_SLOT_POLICY: JobSlotPolicy = {
  firstDelayMs: 30_000,
  backoffRate: 2,
  maxDelayMs: 600_000,
  maxWaitMs: 6 * 3_600_000,
};

export interface JobSlotWaitOptions extends Partial<JobSlotPolicy> {
  /** Progress: one line per wait. */
  log?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export const isJobQuotaExceeded = (error: unknown): boolean =>
  (error as { name?: string } | undefined)?.name === 'ServiceQuotaExceededException';

function minutes(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  const m = ms / 60_000;
  return `${m < 10 ? m.toFixed(1) : Math.round(m)} min`;
}

/** Runs `create` (a CreateModelCustomizationJob call) until a job slot is free or the wait is over. */
export async function whenJobSlotFree<T>(
  create: () => Promise<T>,
  options: JobSlotWaitOptions = {},
): Promise<T> {
  const policy = { ...JOB_SLOT_POLICY, ...options };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      if (!isJobQuotaExceeded(error)) throw error;
      const waited = now() - started;
      const left = policy.maxWaitMs - waited;
      if (left <= 0)
        throw new TunekitError(
          'BEDROCK.NO_JOB_SLOT',
          `no model customization job slot became free in ${minutes(policy.maxWaitMs)}: Bedrock still answers ServiceQuotaExceededException (${(error as Error).message})`,
          {
            hint: 'an account runs at most 2 customization jobs at once: see them with `aws bedrock list-model-customization-jobs --status-equals InProgress`, stop one you do not need, or run again later',
            cause: error,
          },
        );
      const ceiling = Math.min(policy.maxDelayMs, policy.firstDelayMs * policy.backoffRate ** (attempt - 1));
      const delay = Math.min(left, Math.max(1, Math.round(random() * ceiling)));
      options.log?.(
        `the account's concurrent customization jobs are at Bedrock's quota; retrying in ${minutes(delay)} (waited ${minutes(waited)} of at most ${minutes(policy.maxWaitMs)})`,
      );
      await sleep(delay);
    }
  }
}

/** The same wait as a Step Functions Retry rule on the optimized Bedrock integration's error name. */
export function jobSlotRetrier(policy: JobSlotPolicy = JOB_SLOT_POLICY) {
  // Enough attempts that the ceilings add up to the total wait.
  let attempts = 0;
  for (let total = 0; total < policy.maxWaitMs; attempts++)
    total += Math.min(policy.maxDelayMs, policy.firstDelayMs * policy.backoffRate ** attempts);
  return {
    ErrorEquals: ['Bedrock.ServiceQuotaExceededException'],
    IntervalSeconds: Math.round(policy.firstDelayMs / 1000),
    BackoffRate: policy.backoffRate,
    MaxDelaySeconds: Math.round(policy.maxDelayMs / 1000),
    MaxAttempts: attempts,
    JitterStrategy: 'FULL' as const,
  };
}
