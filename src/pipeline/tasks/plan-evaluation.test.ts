import { readFileSync } from 'node:fs';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../../aws/clients.ts';
import { ConfigSchema } from '../../config/schema.ts';
import { SAMPLES } from '../../samples.ts';
import type { TaskContext } from './context.ts';
import type { EvaluationDeployments } from './deploy-for-evaluation.ts';
import { planEvaluation } from './plan-evaluation.ts';

/** A suite stored in the bucket, as on AWS (a Lambda has no project directory). */
const written = new Map<string, string>();

function ctxWithSuiteText(text: string): TaskContext {
  const send = async (command: unknown) => {
    if (command instanceof PutObjectCommand) {
      written.set(`${command.input.Bucket}/${command.input.Key}`, String(command.input.Body));
      return {};
    }
    if (!(command instanceof GetObjectCommand)) throw new Error('unexpected call');
    return { Body: { transformToString: async () => text } };
  };
  return {
    config: ConfigSchema.parse({ evaluation: { suite: 's3://bucket/eval/suite.json' } }),
    clients: { s3: { send } } as unknown as AwsClients,
    configDir: '.',
  };
}

const deployment = {
  mode: 'on-demand',
  name: 'p-eval-x',
  arn: 'cand',
  customModelArn: 'm1',
  productionNote: 'no production version yet',
} as EvaluationDeployments;

describe('planEvaluation with the suite in S3', () => {
  it('writes one Map item per case to S3 and returns only their keys', async () => {
    const text = readFileSync(SAMPLES.bankingSuite, 'utf8');
    const plan = await planEvaluation({ deployment, executionName: 'run-1' }, ctxWithSuiteText(text));
    expect(plan).toMatchObject({
      bucket: 'tunekit-local',
      itemsKey: 'evaluations/run-1/items.json',
      suiteKey: 'evaluations/run-1/suite.json',
      caseCount: JSON.parse(text).cases.length,
    });
    expect(plan).not.toHaveProperty('items');
    expect(plan).not.toHaveProperty('suite');
    const items = JSON.parse(written.get(`tunekit-local/${plan.itemsKey}`)!);
    expect(items).toHaveLength(JSON.parse(text).cases.length);
    expect(items[0].case.id).toBe(JSON.parse(text).cases[0].id);
    expect(plan.models.map((m) => m.label)).toEqual(['baseline', 'candidate']);
  });

  it('checks it as a local suite file is checked: syntax with its position, duplicate ids', async () => {
    await expect(
      planEvaluation({ deployment, executionName: 'run-1' }, ctxWithSuiteText('{"name": "x",')),
    ).rejects.toThrow(/s3:\/\/bucket\/eval\/suite\.json:1:\d+: not valid JSON/);
    const suite = JSON.parse(readFileSync(SAMPLES.bankingSuite, 'utf8'));
    suite.cases[1].id = suite.cases[0].id;
    await expect(
      planEvaluation({ deployment, executionName: 'run-1' }, ctxWithSuiteText(JSON.stringify(suite))),
    ).rejects.toThrow(/cases\[1\]\.id: duplicate id/);
  });
});
