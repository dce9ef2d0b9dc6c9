import { describe, expect, it } from 'vitest';
import { GateSchema } from '../config/schema.ts';
import { decideGate, gateLine } from './gate.ts';
import type { CaseResult, EvalRun } from './run.schema.ts';
import type { CaseCategory } from './suite.schema.ts';

/** A run where each model scores `scores[category]` on every case of that category (one metric per case). */
function run(
  scores: Record<string, Partial<Record<CaseCategory, number>>>,
  errored: Record<string, number> = {},
): EvalRun {
  const results: CaseResult[] = [];
  for (const [model, byCat] of Object.entries(scores)) {
    for (const [category, score] of Object.entries(byCat) as [CaseCategory, number][]) {
      for (let i = 0; i < 4; i++) {
        const failed = i < (errored[model] ?? 0) && category === 'in-domain';
        results.push({
          caseId: `${category}-${i}`,
          category,
          model,
          status: failed ? 'error' : 'ok',
          ...(failed ? { error: { code: 'ThrottlingException', message: 'slow down' } } : { answer: 'a' }),
          attempts: 1,
          latencyMs: 1,
          metrics: failed ? [] : [{ metric: 'token-f1', dimension: 'accuracy', score }],
        });
      }
    }
  }
  return {
    id: 'r',
    suite: { name: 's', cases: [] },
    models: Object.keys(scores).map((label) => ({ label, modelId: `${label}-id` })),
    judge: { status: 'skipped', reason: 'none' },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    concurrency: 1,
    results,
  };
}

const defaults = GateSchema.parse({}); // +0.05 in-domain, -0.10 ood, -0 safety, beat production, 5% errors
const labels = { baseline: 'base', candidate: 'cand' };
const check = (decision: ReturnType<typeof decideGate>, name: string) =>
  decision.checks.find((c) => c.name === name)!;

describe('decideGate', () => {
  const base = { 'in-domain': 0.4, 'out-of-domain': 0.8, safety: 1 };

  it('passes a candidate that improves in-domain and holds the rest', () => {
    const d = decideGate(
      run({ base, cand: { 'in-domain': 0.7, 'out-of-domain': 0.75, safety: 1 } }),
      defaults,
      labels,
    );
    expect(d.passed).toBe(true);
    expect(d.checks.map((c) => c.name)).toEqual([
      'in-domain-improvement',
      'out-of-domain-regression',
      'safety-regression',
      'error-rate',
    ]);
    expect(check(d, 'in-domain-improvement')).toMatchObject({
      passed: true,
      delta: 0.3,
      measured: { cand: 0.7, base: 0.4 },
    });
    expect(d.summary).toBe('passed: 4 of 4 checks');
  });

  it('rejects an in-domain improvement below the margin, and says by how much', () => {
    const d = decideGate(run({ base, cand: { ...base, 'in-domain': 0.44 } }), defaults, labels);
    expect(d.passed).toBe(false);
    expect(check(d, 'in-domain-improvement')).toMatchObject({ passed: false, delta: 0.04, threshold: 0.05 });
    expect(check(d, 'in-domain-improvement').reason).toContain('(delta +0.040; threshold >= +0.050)');
    expect(gateLine(check(d, 'in-domain-improvement'))).toMatch(
      /^FAIL in-domain-improvement — category in-domain: cand 0\.440 vs base 0\.400/,
    );
    expect(d.summary).toBe('rejected: in-domain-improvement');
  });

  it('accepts exactly the margin (no float rounding surprise)', () => {
    const d = decideGate(
      run({ base: { ...base, 'in-domain': 0.1 }, cand: { ...base, 'in-domain': 0.15 } }),
      defaults,
      labels,
    );
    expect(check(d, 'in-domain-improvement').passed).toBe(true);
  });

  it('tolerates an out-of-domain drop within the tolerance and rejects a larger one', () => {
    const ok = decideGate(
      run({ base, cand: { ...base, 'in-domain': 0.9, 'out-of-domain': 0.7 } }),
      defaults,
      labels,
    );
    expect(check(ok, 'out-of-domain-regression').passed).toBe(true);
    const bad = decideGate(
      run({ base, cand: { ...base, 'in-domain': 0.9, 'out-of-domain': 0.65 } }),
      defaults,
      labels,
    );
    expect(check(bad, 'out-of-domain-regression')).toMatchObject({
      passed: false,
      delta: -0.15,
      threshold: -0.1,
    });
  });

  it('rejects any safety regression with the default tolerance of 0, and allows it when configured', () => {
    const cand = { ...base, 'in-domain': 0.9, safety: 0.75 };
    expect(check(decideGate(run({ base, cand }), defaults, labels), 'safety-regression').passed).toBe(false);
    const lenient = { ...defaults, maxSafetyRegression: 0.3 };
    expect(check(decideGate(run({ base, cand }), lenient, labels), 'safety-regression').passed).toBe(true);
  });

  it('requires beating production when there is one', () => {
    const cand = { ...base, 'in-domain': 0.9 };
    const better = { ...base, 'in-domain': 0.95 };
    const d = decideGate(run({ base, cand, prod: better }), defaults, { ...labels, production: 'prod' });
    expect(check(d, 'beats-production')).toMatchObject({ passed: false });
    const d2 = decideGate(run({ base, cand, prod: base }), defaults, { ...labels, production: 'prod' });
    expect(check(d2, 'beats-production').passed).toBe(true);
    const off = decideGate(
      run({ base, cand, prod: better }),
      { ...defaults, mustBeatProduction: false },
      { ...labels, production: 'prod' },
    );
    expect(off.checks.some((c) => c.name === 'beats-production')).toBe(false);
  });

  it('rejects a candidate that failed too many cases', () => {
    const d = decideGate(run({ base, cand: { ...base, 'in-domain': 0.9 } }, { cand: 1 }), defaults, labels);
    expect(check(d, 'error-rate')).toMatchObject({ passed: false });
    expect(check(d, 'error-rate').reason).toContain(
      'error rate: cand 1/12 (8.3%) vs base 0/12 (0.0%) (threshold <= 5.0% each)',
    );
  });

  it('fails a check it cannot measure instead of passing it', () => {
    const d = decideGate(run({ base: { 'in-domain': 0.5 }, cand: { 'in-domain': 0.9 } }), defaults, labels);
    expect(check(d, 'safety-regression')).toMatchObject({ passed: false, delta: null });
    expect(check(d, 'safety-regression').reason).toMatch(/no scored safety cases/);
  });

  it('refuses labels that are not models of the run', () => {
    expect(() => decideGate(run({ base }), defaults, { baseline: 'base', candidate: 'nope' })).toThrow(
      /gate label "nope"/,
    );
  });
});
