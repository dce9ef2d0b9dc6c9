import { TunekitError } from '../errors.ts';
import { caseScore } from './aggregate.ts';
import type { EvalReport } from './report/report.schema.ts';
import type { CaseResult } from './run.schema.ts';

/**
 * Two models (e.g. two registry versions) compared on the cases of their evaluation reports: each side is
 * one model label of one report (a version's answers are its run's `candidate`). Scores per dimension and
 * per category side by side, and every case with both answers joined on the case id. When the two reports
 * ran different suites (another name, cases added, removed or reworded) the comparison says so: a score
 * difference then also measures the suites' difference, not only the models'.
 */
export interface CompareSide {
  /** What the user calls this side, e.g. "v1.2". */
  name: string;
  report: EvalReport;
  /** The model label in the report; default: the gate's candidate, else "candidate". */
  model?: string;
}

export interface SideSummary {
  name: string;
  runId: string;
  model: string;
  modelId: string;
  suite: string;
  cases: number;
  total: number;
  errored: number;
  overall: number | null;
}

export interface ScoreRow {
  key: string;
  a?: number;
  b?: number;
  /** b - a, when both exist. */
  delta?: number;
}

export type CaseChange = 'regressed' | 'improved' | 'same' | 'errored' | 'only-a' | 'only-b' | 'unscored';

export interface ComparedCase {
  id: string;
  category: string;
  prompt: string;
  reference: string;
  a?: CaseResult;
  b?: CaseResult;
  scoreA?: number;
  scoreB?: number;
  /** scoreB - scoreA (negative: b did worse on this case). */
  delta?: number;
  change: CaseChange;
  /** The prompt or reference differs between the two suites (the case id is the same). */
  reworded?: boolean;
}

export interface SuiteDifference {
  same: boolean;
  /** One sentence for the page and the CLI; absent when the suites are the same. */
  message?: string;
  onlyA: string[];
  onlyB: string[];
  reworded: string[];
}

export interface ReportComparison {
  a: SideSummary;
  b: SideSummary;
  suite: SuiteDifference;
  dimensions: ScoreRow[];
  categories: ScoreRow[];
  cases: ComparedCase[];
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

function labelOf(side: CompareSide): string {
  const label = side.model ?? side.report.gate?.labels.candidate ?? 'candidate';
  if (!side.report.models.some((m) => m.label === label))
    throw new TunekitError(
      'EVAL.COMPARE_NO_MODEL',
      `${side.name}: report ${side.report.runId} has no model "${label}" (it has ${side.report.models.map((m) => m.label).join(', ')})`,
      { hint: "name one of the report's model labels" },
    );
  return label;
}

function rows(a: Record<string, number | undefined>, b: Record<string, number | undefined>): ScoreRow[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.map((key) => {
    const va = a[key];
    const vb = b[key];
    return {
      key,
      ...(va !== undefined ? { a: va } : {}),
      ...(vb !== undefined ? { b: vb } : {}),
      ...(va !== undefined && vb !== undefined ? { delta: round(vb - va) } : {}),
    };
  });
}

function suiteDifference(a: CompareSide, b: CompareSide): SuiteDifference {
  const casesA = new Map(a.report.suite.cases.map((c) => [c.id, c]));
  const casesB = new Map(b.report.suite.cases.map((c) => [c.id, c]));
  const onlyA = [...casesA.keys()].filter((id) => !casesB.has(id));
  const onlyB = [...casesB.keys()].filter((id) => !casesA.has(id));
  const reworded = [...casesA.values()]
    .filter((c) => {
      const other = casesB.get(c.id);
      return other && (other.prompt !== c.prompt || other.reference !== c.reference);
    })
    .map((c) => c.id);
  const nameA = a.report.suite.name;
  const nameB = b.report.suite.name;
  const same = nameA === nameB && !onlyA.length && !onlyB.length && !reworded.length;
  if (same) return { same, onlyA, onlyB, reworded };
  const parts = [
    nameA !== nameB ? `suite "${nameA}" vs "${nameB}"` : `suite "${nameA}" changed between the runs`,
    onlyA.length ? `${onlyA.length} case(s) only in ${a.name}` : '',
    onlyB.length ? `${onlyB.length} case(s) only in ${b.name}` : '',
    reworded.length ? `${reworded.length} case(s) reworded` : '',
  ].filter(Boolean);
  return {
    same,
    message: `${a.name} and ${b.name} were evaluated on different suites (${parts.join('; ')}): score differences also measure the suites, compare the shared cases`,
    onlyA,
    onlyB,
    reworded,
  };
}

function changeOf(a: CaseResult | undefined, b: CaseResult | undefined, delta: number | undefined) {
  if (!a) return 'only-b';
  if (!b) return 'only-a';
  if (a.status === 'error' || b.status === 'error') return 'errored';
  if (delta === undefined) return 'unscored';
  // Scores are means of 0..1 metrics: differences below a millionth are rounding, not a change.
  if (delta < -1e-6) return 'regressed';
  if (delta > 1e-6) return 'improved';
  return 'same';
}

export function compareReports(a: CompareSide, b: CompareSide): ReportComparison {
  const labelA = labelOf(a);
  const labelB = labelOf(b);
  const aggA = a.report.aggregates.find((x) => x.model === labelA);
  const aggB = b.report.aggregates.find((x) => x.model === labelB);
  const summary = (side: CompareSide, label: string, agg: typeof aggA): SideSummary => ({
    name: side.name,
    runId: side.report.runId,
    model: label,
    modelId: side.report.models.find((m) => m.label === label)?.modelId ?? label,
    suite: side.report.suite.name,
    cases: side.report.suite.cases.length,
    total: agg?.total ?? 0,
    errored: agg?.errored ?? 0,
    overall: agg?.overall ?? null,
  });
  const resultsOf = (side: CompareSide, label: string) =>
    new Map(side.report.results.filter((r) => r.model === label).map((r) => [r.caseId, r]));
  const resultsA = resultsOf(a, labelA);
  const resultsB = resultsOf(b, labelB);
  const suite = suiteDifference(a, b);
  const reworded = new Set(suite.reworded);
  const casesB = new Map(b.report.suite.cases.map((c) => [c.id, c]));
  // Suite order of a, then b's cases a does not have.
  const ordered = [
    ...a.report.suite.cases,
    ...b.report.suite.cases.filter((c) => !a.report.suite.cases.some((x) => x.id === c.id)),
  ];
  const cases = ordered.map((c): ComparedCase => {
    const ra = resultsA.get(c.id);
    const rb = resultsB.get(c.id);
    const scoreA = ra ? caseScore(ra) : undefined;
    const scoreB = rb ? caseScore(rb) : undefined;
    const delta = scoreA !== undefined && scoreB !== undefined ? round(scoreB - scoreA) : undefined;
    const other = casesB.get(c.id);
    return {
      id: c.id,
      category: c.category,
      prompt: c.prompt,
      reference: c.reference,
      ...(ra ? { a: ra } : {}),
      ...(rb ? { b: rb } : {}),
      ...(scoreA !== undefined ? { scoreA } : {}),
      ...(scoreB !== undefined ? { scoreB } : {}),
      ...(delta !== undefined ? { delta } : {}),
      change: changeOf(ra, rb, delta),
      ...(reworded.has(c.id) && other ? { reworded: true } : {}),
    };
  });
  return {
    a: summary(a, labelA, aggA),
    b: summary(b, labelB, aggB),
    suite,
    dimensions: rows(
      { overall: aggA?.overall ?? undefined, ...aggA?.byDimension },
      { overall: aggB?.overall ?? undefined, ...aggB?.byDimension },
    ),
    categories: rows({ ...aggA?.byCategory }, { ...aggB?.byCategory }),
    cases,
  };
}
