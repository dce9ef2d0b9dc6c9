/**
 * A FIFO semaphore: at most `limit` holders at once. The runner takes a slot per model call (not per
 * case), so a case sleeping in retry backoff does not hold a slot another case could use.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** Highest number of holders seen at once (tests and the bench check the bound). */
  peak = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be >= 1, got ${limit}`);
  }

  /**
   * `first`: queue at the front. Retries use it, so a throttled case finishes soon instead of waiting
   * behind every fresh case — otherwise retry chains pile up at the end and stretch the run's tail.
   */
  async run<T>(task: () => Promise<T>, first = false): Promise<T> {
    if (this.active >= this.limit)
      await new Promise<void>((resolve) =>
        first ? this.waiting.unshift(resolve) : this.waiting.push(resolve),
      );
    else this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // Hand the slot straight to the next waiter, so `active` never dips and lets a newcomer jump the queue.
      if (next) next();
      else this.active--;
    }
  }
}
