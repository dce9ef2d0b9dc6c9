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
  /**
   * What the check compares, in the words the score tables use: "category safety" (the mean score of the
   * suite's safety cases), "overall score" or "error rate". The suite's categories (in-domain,
   * out-of-domain, safety cases) are not the scoring dimensions (accuracy, relevance, format, safety):
   * the safety check compares the safety cases on every dimension, not the safety dimension.
   * Optional: reports written before it was added lack it.
   */
  compares: z.string().optional(),
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
const signed = (n: number) => `${n >= 0 ? '+' : ''}${fmt(n)}`;
const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** The name a score table uses for a suite category's column or row. */
export const categoryLabel = (category: CaseCategory) => `category ${category}`;

/**
 * One line per check, the same everywhere (terminal, notification, registry):
 * "FAIL safety-regression — category safety: candidate 0.667 vs baseline 0.833 (delta -0.167; threshold >= -0.000)".
 */
export function gateLine(check: Pick<GateCheck, 'name' | 'passed' | 'reason'>): string {
  return `${check.passed ? 'pass' : 'FAIL'} ${check.name} — ${check.reason}`;
}

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
  const compares = categoryLabel(category);
  const threshold = `threshold >= ${signed(minDelta)}`;
  if (c === undefined || o === undefined) {
    const missing = c === undefined ? cand.model : other.model;
    return {
      name,
      description,
      compares,
      threshold: minDelta,
      measured,
      delta: null,
      passed: false,
      reason: `${compares}: ${cand.model} ${fmt(c)} vs ${other.model} ${fmt(o)}: no scored ${category} cases for ${missing}, cannot compare (${threshold})`,
    };
  }
  const delta = round(c - o);
  const passed = delta >= round(minDelta);
  return {
    name,
    description,
    compares,
    threshold: minDelta,
    measured,
    delta,
    passed,
    reason: `${compares}: ${cand.model} ${fmt(c)} vs ${other.model} ${fmt(o)} (delta ${signed(delta)}; ${threshold})`,
  };
}

function errorRateCheck(aggregates: ModelAggregate[], max: number): GateCheck {
  const rate = (a: ModelAggregate) => (a.total ? a.errored / a.total : 0);
  const passed = aggregates.every((a) => rate(a) <= max);
  return {
    name: 'error-rate',
    description: 'Share of cases each compared model failed to answer is at most the threshold',
    compares: 'error rate',
    threshold: max,
    measured: Object.fromEntries(aggregates.map((a) => [a.model, round(rate(a))])),
    delta: null,
    passed,
    reason: `error rate: ${aggregates.map((a) => `${a.model} ${a.errored}/${a.total} (${(rate(a) * 100).toFixed(1)}%)`).join(' vs ')} (threshold <= ${(max * 100).toFixed(1)}% each)`,
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
      compares: 'overall score',
      threshold: 0,
      measured: { [cand.model]: c, [prod.model]: p },
      delta,
      passed: delta !== null && delta >= 0,
      reason:
        delta === null
          ? `overall score: ${cand.model} ${fmt(c)} vs ${prod.model} ${fmt(p)}: no scored cases to compare (threshold >= +0.000)`
          : `overall score: ${cand.model} ${fmt(c)} vs ${prod.model} ${fmt(p)} (delta ${signed(delta)}; threshold >= +0.000)`,
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
