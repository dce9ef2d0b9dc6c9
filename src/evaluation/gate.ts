import { z } from 'zod';
import type { GateConfig } from '../config/schema.ts';
import { TunekitError } from '../errors.ts';
import { aggregateModel, type ModelAggregate } from './aggregate.ts';
import type { EvalRun } from './run.schema.ts';
import type { CaseCategory } from './suite.schema.ts';

/**
 * The gate: may this candidate replace what we have? A pure function of the run and the thresholds.
 * Every check says what it compared, the measured values and the verdict, so a rejection explains itself.
 */
export const GateCheckSchema = z.object({
  name: z.enum([
    'in-domain-improvement',
    'out-of-domain-regression',
    'safety-regression',
    'beats-production',
    'error-rate',
  ]),
  description: z.string(),
  threshold: z.number(),
  /** The measured values the check compared (label -> value), and their difference when there is one. */
  measured: z.record(z.string(), z.number().nullable()),
  delta: z.number().nullable(),
  passed: z.boolean(),
  reason: z.string(),
});
export type GateCheck = z.infer<typeof GateCheckSchema>;

export const GateDecisionSchema = z.object({
  passed: z.boolean(),
  labels: z.object({ baseline: z.string(), candidate: z.string(), production: z.string().optional() }),
  checks: z.array(GateCheckSchema),
  summary: z.string(),
});
export type GateDecision = z.infer<typeof GateDecisionSchema>;

export interface GateLabels {
  baseline: string;
  candidate: string;
  production?: string;
}

const fmt = (n: number | null | undefined) => (n === null || n === undefined ? 'n/a' : n.toFixed(3));
const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** candidate - other on one category; minDelta is the lowest acceptable difference. */
function categoryCheck(
  name: GateCheck['name'],
  category: CaseCategory,
  cand: ModelAggregate,
  other: ModelAggregate,
  minDelta: number,
  description: string,
): GateCheck {
  const c = cand.byCategory[category];
  const o = other.byCategory[category];
  const measured = { [cand.model]: c ?? null, [other.model]: o ?? null };
  if (c === undefined || o === undefined) {
    const missing = c === undefined ? cand.model : other.model;
    return {
      name,
      description,
      threshold: minDelta,
      measured,
      delta: null,
      passed: false,
      reason: `no scored ${category} cases for ${missing}: cannot compare`,
    };
  }
  const delta = round(c - o);
  const passed = delta >= round(minDelta);
  return {
    name,
    description,
    threshold: minDelta,
    measured,
    delta,
    passed,
    reason: `${cand.model} ${fmt(c)} vs ${other.model} ${fmt(o)} (${delta >= 0 ? '+' : ''}${fmt(delta)}; needs >= ${minDelta >= 0 ? '+' : ''}${fmt(minDelta)})`,
  };
}

function errorRateCheck(aggregates: ModelAggregate[], max: number): GateCheck {
  const rate = (a: ModelAggregate) => (a.total ? a.errored / a.total : 0);
  const worst = aggregates.reduce((w, a) => (rate(a) > rate(w) ? a : w));
  const passed = aggregates.every((a) => rate(a) <= max);
  return {
    name: 'error-rate',
    description: 'Share of cases each compared model failed to answer is at most the threshold',
    threshold: max,
    measured: Object.fromEntries(aggregates.map((a) => [a.model, round(rate(a))])),
    delta: null,
    passed,
    reason: `${worst.model} failed ${worst.errored}/${worst.total} cases (${(rate(worst) * 100).toFixed(1)}%; at most ${(max * 100).toFixed(1)}%)`,
  };
}

export function decideGate(run: EvalRun, gate: GateConfig, labels: GateLabels): GateDecision {
  const known = new Set(run.models.map((m) => m.label));
  for (const label of [labels.baseline, labels.candidate, labels.production].filter(
    (l): l is string => !!l,
  )) {
    if (!known.has(label))
      throw new TunekitError(
        'EVAL.GATE_LABEL',
        `gate label "${label}" is not a model of this run (${[...known].join(', ')})`,
        {
          hint: 'name the baseline/candidate/production labels given with --model label=id',
        },
      );
  }
  const base = aggregateModel(run, labels.baseline);
  const cand = aggregateModel(run, labels.candidate);
  const prod = labels.production ? aggregateModel(run, labels.production) : undefined;
  const checks: GateCheck[] = [
    categoryCheck(
      'in-domain-improvement',
      'in-domain',
      cand,
      base,
      gate.minInDomainImprovement,
      'Candidate beats the baseline on in-domain cases by at least the margin',
    ),
    categoryCheck(
      'out-of-domain-regression',
      'out-of-domain',
      cand,
      base,
      -gate.maxOutOfDomainRegression,
      'Candidate scores no more than the tolerance below the baseline on out-of-domain cases',
    ),
    categoryCheck(
      'safety-regression',
      'safety',
      cand,
      base,
      -gate.maxSafetyRegression,
      'Candidate scores no more than the tolerance below the baseline on safety cases',
    ),
  ];
  if (prod && gate.mustBeatProduction) {
    const c = cand.overall;
    const p = prod.overall;
    const delta = c === null || p === null ? null : round(c - p);
    checks.push({
      name: 'beats-production',
      description: 'Candidate scores at least as well as production overall',
      threshold: 0,
      measured: { [cand.model]: c, [prod.model]: p },
      delta,
      passed: delta !== null && delta >= 0,
      reason:
        delta === null
          ? 'no scored cases to compare with production'
          : `${cand.model} ${fmt(c)} vs ${prod.model} ${fmt(p)} overall (${delta >= 0 ? '+' : ''}${fmt(delta)})`,
    });
  }
  checks.push(errorRateCheck(prod ? [cand, base, prod] : [cand, base], gate.maxErrorRate));
  const failed = checks.filter((c) => !c.passed);
  return {
    passed: failed.length === 0,
    labels: { ...labels },
    checks,
    summary:
      failed.length === 0
        ? `passed: ${checks.length} of ${checks.length} checks`
        : `rejected: ${failed.map((c) => c.name).join(', ')}`,
  };
}
