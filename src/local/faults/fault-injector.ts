import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultConfig } from './fault-config.ts';

export type FaultOutcome = 'ok' | 'throttle' | 'error';

/**
 * Applies the configured faults to one call. Rules for the exact API and for `*` both apply (latency adds
 * up; any rule whose dice say so throttles or fails the call). The dice are a seeded PRNG so runs repeat.
 */
export class FaultInjector {
  private config: FaultConfig = { rules: [] };
  private state = 1;

  constructor(config?: FaultConfig) {
    if (config) this.set(config);
  }

  set(config: FaultConfig): void {
    this.config = config;
    this.state = (config.seed ?? 0x9e3779b9) >>> 0 || 1;
  }

  get(): FaultConfig {
    return this.config;
  }

  async apply(api: string): Promise<FaultOutcome> {
    const rules = this.config.rules.filter((r) => r.api === api || r.api === '*');
    if (rules.length === 0) return 'ok';
    // A real service throttles at admission, before doing any work, so a throttled call answers at once.
    // The latency models the work itself: it applies to every admitted call, including one that then fails.
    if (rules.some((r) => r.throttleRate > 0 && this.random() < r.throttleRate)) return 'throttle';
    const latency = rules.reduce((sum, r) => sum + r.latencyMs, 0);
    if (latency > 0) await sleep(latency);
    if (rules.some((r) => r.errorRate > 0 && this.random() < r.errorRate)) return 'error';
    return 'ok';
  }

  /** xorshift32: tiny, seedable, good enough for fault dice. */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }
}
