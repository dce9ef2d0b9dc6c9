import { describe, expect, it } from 'vitest';
import { TunekitError } from '../../errors.ts';
import { faultsFromEnv, parseFaultConfig } from './fault-config.ts';
import { FaultInjector } from './fault-injector.ts';

describe('fault injection', () => {
  it('throttles about the configured share of calls, only for the named API', async () => {
    const faults = new FaultInjector(
      parseFaultConfig({ rules: [{ api: 'InvokeModel', throttleRate: 0.3 }], seed: 7 }, 't'),
    );
    const outcomes = await Promise.all(Array.from({ length: 1000 }, () => faults.apply('InvokeModel')));
    const throttled = outcomes.filter((o) => o === 'throttle').length;
    expect(throttled).toBeGreaterThan(230);
    expect(throttled).toBeLessThan(370);
    expect(await faults.apply('GetModelCustomizationJob')).toBe('ok');
  });

  it('adds latency', async () => {
    const faults = new FaultInjector(parseFaultConfig([{ api: '*', latencyMs: 40 }], 't'));
    const start = performance.now();
    await faults.apply('ListCustomModels');
    expect(performance.now() - start).toBeGreaterThanOrEqual(35);
  });

  it('answers a throttled call at once and delays the admitted ones', async () => {
    const faults = new FaultInjector(
      parseFaultConfig({ rules: [{ api: '*', latencyMs: 60, throttleRate: 0.5 }], seed: 3 }, 't'),
    );
    const timed = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const start = performance.now();
        const outcome = await faults.apply('InvokeModel');
        return { outcome, ms: performance.now() - start };
      }),
    );
    const throttled = timed.filter((t) => t.outcome === 'throttle');
    const admitted = timed.filter((t) => t.outcome === 'ok');
    expect(throttled.length).toBeGreaterThan(0);
    expect(admitted.length).toBeGreaterThan(0);
    for (const t of throttled) expect(t.ms).toBeLessThan(30);
    for (const t of admitted) expect(t.ms).toBeGreaterThanOrEqual(55);
  });

  it('rejects a bad config naming the JSON path', () => {
    expect(() => parseFaultConfig({ rules: [{ api: 'X', throttleRate: 2 }] }, 'faults.json')).toThrow(
      /faults.json: rules.0.throttleRate/,
    );
    expect(() => faultsFromEnv({ TUNEKIT_FAULTS: '{nope' })).toThrow(TunekitError);
  });
});
