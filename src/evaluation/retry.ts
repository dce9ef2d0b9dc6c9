/**
 * Retries for model calls. The SDK's own (adaptive) retry rate-limits the whole client after a throttle,
 * which stretches a 20%-throttled evaluation far past its ideal time; clients for evaluation are created
 * with `maxAttempts: 1` and this loop retries instead: exponential backoff with full jitter and short
 * base delays, retrying only what can succeed on a second try.
 */
export interface RetryPolicy {
  /** Attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 2000 };

const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelNotReadyException',
  'ModelTimeoutException',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/** Throttles, 5xx and dropped connections are worth another try; a refused connection or a 4xx is not. */
export function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (RETRYABLE_NAMES.has(e?.name ?? '') || RETRYABLE_NAMES.has(e?.code ?? '')) return true;
  const status = e?.$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500);
}

/** Full jitter: uniform in [0, min(max, base * 2^(attempt-1))]. */
export const backoffMs = (attempt: number, policy: RetryPolicy, random = Math.random) =>
  random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The error that ended the retries, with how many attempts were made. */
export class RetriesExhausted extends Error {
  constructor(
    readonly lastError: unknown,
    readonly attempts: number,
  ) {
    super((lastError as Error)?.message ?? String(lastError));
  }
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or the attempts run out. */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<{ value: T; attempts: number }> {
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(n), attempts: n };
    } catch (error) {
      if (n >= policy.maxAttempts || !isRetryable(error)) throw new RetriesExhausted(error, n);
      await sleep(backoffMs(n, policy));
    }
  }
}
