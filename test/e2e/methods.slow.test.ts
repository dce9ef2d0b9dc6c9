import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../src/samples.ts';
import { REPO_ROOT, tempDir } from './helpers/cli.ts';
import { execFileAsync, startStackForPython, stopStack } from './helpers/local-process.ts';

/**
 * boto3 (the machine's Python, an independent client) creates a DISTILLATION and a
 * REINFORCEMENT_FINE_TUNING job with the real request shapes against `tunekit local start` (the product
 * path: training in the worker thread, the grader imported from the project's graders/ folder), waits
 * for both to complete, and reads their configs back; three bad requests are refused.
 */

let dataDir: string;
let project: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = tempDir();
  project = tempDir();
  mkdirSync(join(project, 'graders'));
  copyFileSync(SAMPLES.reinforcementGrader, join(project, 'graders/grader.mjs'));
  env = await startStackForPython(dataDir, project);
});

afterAll(async () => {
  await stopStack(dataDir);
});

describe('boto3 creates distillation and reinforcement fine-tuning jobs on the local stack', () => {
  it('both complete, GetModelCustomizationJob shows their configs, bad requests are refused', async () => {
    const { stdout } = await execFileAsync(
      'python3',
      [
        join(REPO_ROOT, 'test/e2e/methods/boto3_methods.py'),
        SAMPLES.bankingTrain,
        SAMPLES.reinforcementTrain,
      ],
      { env, cwd: project, timeout: 280_000 },
    );
    const out = JSON.parse(stdout);
    expect(out.distillation).toMatchObject({
      status: 'Completed',
      failureMessage: null,
      customizationType: 'DISTILLATION',
      customizationConfig: {
        distillationConfig: {
          teacherModelConfig: {
            teacherModelIdentifier: 'us.amazon.nova-premier-v1:0',
            maxResponseLengthForInference: 1000,
          },
        },
      },
    });
    expect(out.distillation.outputModelArn).toMatch(/:custom-model\/amazon\.nova-micro-v1:0:128k\//);
    expect(out.rft).toMatchObject({
      status: 'Completed',
      failureMessage: null,
      customizationType: 'REINFORCEMENT_FINE_TUNING',
      customizationConfig: {
        rftConfig: {
          graderConfig: {
            lambdaGrader: { lambdaArn: 'arn:aws:lambda:us-east-1:000000000000:function:grader' },
          },
          hyperParameters: {
            epochCount: 2,
            batchSize: 16,
            trainingSamplePerPrompt: 4,
            reasoningEffort: 'low',
          },
        },
      },
    });
    const [header, ...rows] = (out.rftMetrics as string).trim().split('\n');
    expect(header).toContain('reward_mean');
    expect(rows).toHaveLength(14);
    expect(out.refusals).toEqual([
      expect.objectContaining({
        code: 'ValidationException',
        message: expect.stringMatching(/not a supported teacher/),
      }),
      expect.objectContaining({
        code: 'ValidationException',
        message: expect.stringMatching(/does not support customization type REINFORCEMENT_FINE_TUNING/),
      }),
      expect.objectContaining({
        code: 'ValidationException',
        message: expect.stringMatching(/customizationConfig\.rftConfig is required/),
      }),
    ]);
  });
});
