import { describe, expect, it } from 'vitest';
import { Limiter } from './limiter.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('Limiter', () => {
  it('runs at most `limit` tasks at once, in FIFO order, and retries jump the queue', async () => {
    const limiter = new Limiter(2);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const hold = (name: string) =>
      limiter.run(async () => {
        order.push(name);
        await gate;
      });
    const quick = (name: string, first = false) =>
      limiter.run(async () => {
        order.push(name);
      }, first);
    const all = [hold('a'), hold('b'), quick('c'), quick('d'), quick('retry', true)];
    await tick();
    expect(order).toEqual(['a', 'b']);
    release();
    await Promise.all(all);
    expect(order).toEqual(['a', 'b', 'retry', 'c', 'd']);
    expect(limiter.peak).toBe(2);
  });

  it('frees the slot when a task throws', async () => {
    const limiter = new Limiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });

  it('refuses a limit below 1', () => expect(() => new Limiter(0)).toThrow(/concurrency must be >= 1/));
});
