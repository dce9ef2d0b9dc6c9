import { readFileSync } from 'node:fs';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../../aws/clients.ts';
import { ConfigSchema } from '../../config/schema.ts';
import { SAMPLES } from '../../samples.ts';
import type { TaskContext } from './context.ts';
import type { EvaluationDeployments } from './deploy-for-evaluation.ts';
import { planEvaluation } from './plan-evaluation.ts';

/** A suite stored in the bucket, as on AWS (a Lambda has no project directory). */
function ctxWithSuiteText(text: string): TaskContext {
  const send = async (command: unknown) => {
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
  it('plans one item per case of a valid suite', async () => {
    const text = readFileSync(SAMPLES.bankingSuite, 'utf8');
    const plan = await planEvaluation({ deployment }, ctxWithSuiteText(text));
    expect(plan.items).toHaveLength(JSON.parse(text).cases.length);
    expect(plan.models.map((m) => m.label)).toEqual(['baseline', 'candidate']);
  });

  it('checks it as a local suite file is checked: syntax with its position, duplicate ids', async () => {
    await expect(planEvaluation({ deployment }, ctxWithSuiteText('{"name": "x",'))).rejects.toThrow(
      /s3:\/\/bucket\/eval\/suite\.json:1:\d+: not valid JSON/,
    );
    const suite = JSON.parse(readFileSync(SAMPLES.bankingSuite, 'utf8'));
    suite.cases[1].id = suite.cases[0].id;
    await expect(planEvaluation({ deployment }, ctxWithSuiteText(JSON.stringify(suite)))).rejects.toThrow(
      /cases\[1\]\.id: duplicate id/,
    );
  });
});
