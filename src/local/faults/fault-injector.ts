import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultConfig, FaultRule } from './fault-config.ts';

export type FaultOutcome = 'ok' | 'throttle' | 'error';

/**
 * Applies the configured faults to one call. Rules for the exact API and for `*` both apply (latency adds
 * up, the first rule whose dice say so decides the outcome). The dice are a seeded PRNG so runs repeat.
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
    const latency = rules.reduce((sum, r) => sum + r.latencyMs, 0);
    if (latency > 0) await sleep(latency);
    for (const rule of rules) {
      const outcome = this.roll(rule);
      if (outcome !== 'ok') return outcome;
    }
    return 'ok';
  }

  private roll(rule: FaultRule): FaultOutcome {
    if (rule.throttleRate > 0 && this.random() < rule.throttleRate) return 'throttle';
    if (rule.errorRate > 0 && this.random() < rule.errorRate) return 'error';
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
