import { describe, expect, it } from 'vitest';
import type { RegistryContext } from '../../registry/context.ts';
import { diffVersions } from '../../registry/diff.ts';
import { memoryS3 } from '../../registry/memory-s3.fixture.ts';
import { listVersions } from '../../registry/read.ts';
import { registerVersion } from '../../registry/register.ts';
import { renderList, renderVersion } from './registry-render.ts';

const ctx = (): RegistryContext => ({
  s3: memoryS3().client,
  bucket: 'b',
  prefix: 'models/',
  name: 'bank',
  actor: 'tester',
  sleep: async () => undefined,
});

const lineage = (job: string) => ({
  baseModelId: 'amazon.nova-micro-v1:0:128k',
  baseModelFamily: 'nova',
  jobArn: `arn:aws:bedrock:us-east-1:123456789012:model-customization-job/${job}`,
  evaluation: { scores: { overall: 0.8 } },
  gate: { passed: true, reasons: [] },
});

describe('registry: the method a version was made with', () => {
  it('records the teacher of a distilled student, lists the method, and diffs it against a fine-tuned one', async () => {
    const c = ctx();
    const { version: tuned } = await registerVersion(c, {
      ...lineage('a'),
      hyperparameters: { epochCount: '2' },
    });
    const { version: distilled } = await registerVersion(c, {
      ...lineage('b'),
      customization: {
        method: 'distillation',
        customizationType: 'DISTILLATION',
        teacherModel: 'amazon.nova-premier-v1:0',
        maxResponseLengthForInference: 1000,
      },
    });
    expect(distilled.customization?.teacherModel).toBe('amazon.nova-premier-v1:0');
    expect(renderVersion(distilled, [])).toMatch(
      /method +distillation \(DISTILLATION\) teacher amazon\.nova-premier-v1:0, max response 1000 tokens/,
    );
    expect(renderVersion(tuned, [])).toMatch(/method +fine-tuning/);
    const listing = await listVersions(c);
    expect(listing.versions.map((v) => v.method ?? 'fine-tuning')).toEqual(['fine-tuning', 'distillation']);
    expect(renderList(listing)).toMatch(/METHOD[\s\S]*distillation/);
    const rows = diffVersions(tuned, distilled).rows.filter((r) => r.group === 'lineage');
    expect(rows).toEqual(
      expect.arrayContaining([
        { group: 'lineage', field: 'method', a: 'fine-tuning', b: 'distillation' },
        { group: 'lineage', field: 'teacherModel', a: undefined, b: 'amazon.nova-premier-v1:0' },
      ]),
    );
  });

  it('refuses a record with an unknown method', async () => {
    await expect(
      registerVersion(ctx(), {
        ...lineage('c'),
        customization: { method: 'dpo' as never, customizationType: 'X' },
      }),
    ).rejects.toThrow(/customization\.method/);
  });
});
