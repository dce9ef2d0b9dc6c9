import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { buildReport, type EvalRun } from '../evaluation/index.ts';
import { type RegistryContext, registerVersion } from '../registry/index.ts';
import { memoryS3 } from '../registry/memory-s3.fixture.ts';
import { compareRegistryVersions } from './compare-versions.ts';

const cases = [
  {
    id: 'dispute',
    category: 'in-domain' as const,
    tags: [],
    prompt: 'How do I dispute?',
    reference: 'Within 60 days.',
  },
];

/** A pipeline report whose candidate scored `score` on the one case. */
function report(id: string, score: number) {
  const result = (model: string, s: number) => ({
    caseId: 'dispute',
    category: 'in-domain' as const,
    model,
    status: 'ok' as const,
    answer: `${model} of ${id}`,
    attempts: 1,
    latencyMs: 1,
    metrics: [{ metric: 'token-f1', dimension: 'accuracy' as const, score: s }],
  });
  const run: EvalRun = {
    id,
    suite: { name: 'banking', cases },
    models: [
      { label: 'baseline', modelId: 'amazon.nova-micro-v1:0' },
      { label: 'candidate', modelId: `custom-${id}` },
    ],
    judge: { status: 'skipped' },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    concurrency: 1,
    results: [result('baseline', 0.2), result('candidate', score)],
  };
  return buildReport(run);
}

async function setup() {
  const store = memoryS3();
  const ctx: RegistryContext = {
    s3: store.client,
    bucket: 'b',
    prefix: 'models/',
    name: 'bank',
    actor: 't',
    sleep: async () => undefined,
  };
  const register = async (job: string, reportUri?: string) =>
    registerVersion(ctx, {
      baseModelId: 'amazon.nova-micro-v1:0:128k',
      baseModelFamily: 'nova',
      jobArn: `arn:aws:bedrock:us-east-1:123456789012:model-customization-job/${job}`,
      evaluation: { scores: { overall: 0.5 }, ...(reportUri ? { reportUri } : {}) },
      gate: { passed: true, reasons: [] },
    });
  const put = (key: string, body: string) =>
    store.client.send(new PutObjectCommand({ Bucket: 'b', Key: key, Body: body }));
  return { ctx, store, register, put };
}

describe('compareRegistryVersions', () => {
  it("joins two versions' candidate answers from the reports their runs wrote", async () => {
    const { ctx, register, put } = await setup();
    await put('reports/run-a/evaluation-report.json', JSON.stringify(report('run-a', 0.9)));
    await put('reports/run-b/evaluation-report.json', JSON.stringify(report('run-b', 0.4)));
    await register('j1', 's3://b/reports/run-a/evaluation-report.json');
    await register('j2', 's3://b/reports/run-b/evaluation-report.json');
    const c = await compareRegistryVersions(ctx, ctx.s3, 'v1.0', 'v1.1');
    expect(c.versions.a.version).toBe('v1.0');
    expect(c.suite.same).toBe(true);
    expect(c.cases).toEqual([
      expect.objectContaining({ id: 'dispute', change: 'regressed', scoreA: 0.9, scoreB: 0.4, delta: -0.5 }),
    ]);
    expect(c.cases[0]?.a?.answer).toBe('candidate of run-a');
    expect(c.cases[0]?.b?.answer).toBe('candidate of run-b');
  });

  it('says which version has no report, and when a report is gone from the bucket', async () => {
    const { ctx, register, put } = await setup();
    await put('reports/run-a/evaluation-report.json', JSON.stringify(report('run-a', 0.9)));
    await register('j1', 's3://b/reports/run-a/evaluation-report.json');
    await register('j2');
    await register('j3', 's3://b/reports/deleted/evaluation-report.json');
    await expect(compareRegistryVersions(ctx, ctx.s3, 'v1.0', 'v1.1')).rejects.toMatchObject({
      code: 'REGISTRY.NO_REPORT',
      message: 'v1.1 has no evaluation report to compare',
    });
    await expect(compareRegistryVersions(ctx, ctx.s3, 'v1.0', 'v1.2')).rejects.toMatchObject({
      code: 'EVAL.REPORT_NOT_FOUND',
      message: 'no evaluation report at s3://b/reports/deleted/evaluation-report.json',
    });
    await put('reports/bad/evaluation-report.json', '{"schemaVersion": 1}');
    await register('j4', 's3://b/reports/bad/evaluation-report.json');
    await expect(compareRegistryVersions(ctx, ctx.s3, 'v1.0', 'v1.3')).rejects.toMatchObject({
      code: 'EVAL.REPORT_INVALID',
    });
  });
});
