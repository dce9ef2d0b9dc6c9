import { describe, expect, it } from 'vitest';
import { backoffMs, isRetryable, RetriesExhausted, withRetries } from './retry.ts';

const err = (name: string, status?: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
const policy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

describe('retry', () => {
  it('classifies errors', () => {
    expect(isRetryable(err('ThrottlingException', 429))).toBe(true);
    expect(isRetryable(err('InternalServerException', 500))).toBe(true);
    expect(isRetryable(err('SomethingNew', 503))).toBe(true);
    expect(isRetryable(err('ValidationException', 400))).toBe(false);
    expect(isRetryable(err('ResourceNotFoundException', 404))).toBe(false);
    expect(isRetryable(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(false);
  });

  it('backs off exponentially with full jitter under a cap', () => {
    const p = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 2000 };
    expect([1, 2, 3, 7].map((n) => backoffMs(n, p, () => 1))).toEqual([50, 100, 200, 2000]);
    expect(backoffMs(3, p, () => 0)).toBe(0);
  });

  it('retries until success and counts attempts', async () => {
    let calls = 0;
    const result = await withRetries(async () => {
      calls++;
      if (calls < 3) throw err('ThrottlingException', 429);
      return 'ok';
    }, policy);
    expect(result).toEqual({ value: 'ok', attempts: 3 });
  });

  it('gives up after maxAttempts, and at once on a non-retryable error', async () => {
    const always = withRetries(() => Promise.reject(err('ThrottlingException', 429)), policy);
    await expect(always).rejects.toMatchObject({ attempts: 4 });
    await expect(always).rejects.toBeInstanceOf(RetriesExhausted);
    await expect(
      withRetries(() => Promise.reject(err('ValidationException', 400)), policy),
    ).rejects.toMatchObject({ attempts: 1 });
  });
});
