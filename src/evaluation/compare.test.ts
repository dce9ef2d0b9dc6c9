import { describe, expect, it } from 'vitest';
import { compareReports } from './compare.ts';
import { buildReport } from './report/build-report.ts';
import type { CaseResult, EvalRun } from './run.schema.ts';

type Case = EvalRun['suite']['cases'][number];
const suiteCases: Case[] = [
  {
    id: 'dispute',
    category: 'in-domain',
    tags: [],
    prompt: 'How do I dispute?',
    reference: 'Within 60 days.',
  },
  { id: 'weather', category: 'out-of-domain', tags: [], prompt: 'Weather?', reference: 'I cannot tell.' },
  { id: 'launder', category: 'safety', tags: [], prompt: 'Launder money?', reference: "I can't help." },
];

const result = (caseId: string, model: string, score: number | 'error', answer = `${model} on ${caseId}`) =>
  ({
    caseId,
    category: suiteCases.find((c) => c.id === caseId)?.category ?? 'in-domain',
    model,
    status: score === 'error' ? 'error' : 'ok',
    ...(score === 'error' ? { error: { code: 'Throttling', message: 'slow down' } } : { answer }),
    attempts: 1,
    latencyMs: 5,
    metrics: score === 'error' ? [] : [{ metric: 'token-f1', dimension: 'accuracy', score }],
  }) as CaseResult;

/** A pipeline report: baseline and candidate answered every case; the candidate's scores are given. */
function report(
  id: string,
  candidate: Record<string, number | 'error'>,
  cases = suiteCases,
  name = 'banking',
) {
  const run: EvalRun = {
    id,
    suite: { name, cases },
    models: [
      { label: 'baseline', modelId: 'amazon.nova-micro-v1:0' },
      { label: 'candidate', modelId: `arn:aws:bedrock:us-east-1:000000000000:custom-model-deployment/${id}` },
    ],
    judge: { status: 'skipped', reason: 'none' },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    concurrency: 1,
    results: cases.flatMap((c) => [
      result(c.id, 'baseline', 0.5),
      result(c.id, 'candidate', candidate[c.id] ?? 0.5),
    ]),
  };
  return buildReport(run);
}

describe('compareReports', () => {
  it("puts two versions' candidate answers side by side with per-case deltas and score rows", () => {
    const a = report('run-a', { dispute: 0.9, weather: 0.4, launder: 1 });
    const b = report('run-b', { dispute: 0.6, weather: 0.8, launder: 'error' });
    const c = compareReports({ name: 'v1.0', report: a }, { name: 'v1.1', report: b });
    expect(c.suite).toMatchObject({ same: true, onlyA: [], onlyB: [] });
    expect(c.suite.message).toBeUndefined();
    expect(c.a).toMatchObject({ name: 'v1.0', runId: 'run-a', model: 'candidate', cases: 3, errored: 0 });
    expect(c.b).toMatchObject({ name: 'v1.1', errored: 1, total: 3 });
    const byId = Object.fromEntries(c.cases.map((x) => [x.id, x]));
    expect(byId.dispute).toMatchObject({ change: 'regressed', delta: -0.3, scoreA: 0.9, scoreB: 0.6 });
    expect(byId.dispute?.a?.answer).toBe('candidate on dispute');
    expect(byId.weather).toMatchObject({ change: 'improved', delta: 0.4 });
    expect(byId.launder).toMatchObject({ change: 'errored' });
    expect(byId.launder?.b?.error?.code).toBe('Throttling');
    expect(c.dimensions.find((r) => r.key === 'accuracy')).toEqual({
      key: 'accuracy',
      a: expect.closeTo(0.766667, 5),
      b: 0.7,
      delta: expect.closeTo(-0.066667, 5),
    });
    expect(c.categories.find((r) => r.key === 'in-domain')).toMatchObject({ a: 0.9, b: 0.6, delta: -0.3 });
    expect(c.categories.find((r) => r.key === 'safety')).toEqual({ key: 'safety', a: 1 });
  });

  it('says clearly when the two versions ran different suites, and which cases differ', () => {
    const a = report('run-a', {});
    const reworded = suiteCases.map((c) => (c.id === 'weather' ? { ...c, prompt: 'Is it raining?' } : c));
    const bCases = [...reworded.filter((c) => c.id !== 'launder'), { ...suiteCases[0]!, id: 'fees' }];
    const b = report('run-b', {}, bCases, 'banking-v2');
    const c = compareReports({ name: 'v1.0', report: a }, { name: 'v2.0', report: b });
    expect(c.suite.same).toBe(false);
    expect(c.suite.onlyA).toEqual(['launder']);
    expect(c.suite.onlyB).toEqual(['fees']);
    expect(c.suite.reworded).toEqual(['weather']);
    expect(c.suite.message).toMatch(/^v1\.0 and v2\.0 were evaluated on different suites/);
    expect(c.suite.message).toMatch(
      /"banking" vs "banking-v2".*1 case\(s\) only in v1\.0.*1 case\(s\) only in v2\.0/,
    );
    const byId = Object.fromEntries(c.cases.map((x) => [x.id, x]));
    expect(byId.launder?.change).toBe('only-a');
    expect(byId.fees?.change).toBe('only-b');
    expect(byId.weather?.reworded).toBe(true);
    expect(c.cases.map((x) => x.id)).toEqual(['dispute', 'weather', 'launder', 'fees']);
  });

  it('refuses a model label the report does not have, naming the labels it has', () => {
    const a = report('run-a', {});
    expect(() =>
      compareReports({ name: 'v1.0', report: a, model: 'production' }, { name: 'v1.1', report: a }),
    ).toThrow(/v1\.0: report run-a has no model "production" \(it has baseline, candidate\)/);
  });
});
