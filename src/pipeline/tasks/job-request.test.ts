import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJobInput } from '../../bedrock/job-request.ts';
import { type ConfigInput, ConfigSchema } from '../../config/schema.ts';
import { SAMPLES } from '../../samples.ts';
import { GRADER_SUBSTITUTION, jobRequestFields, pipelineDefinition, placeholder } from '../definition.ts';
import { validateDefinition } from '../validate-definition.ts';
import { toSdkInput } from './train-sync.ts';
import { validateTrainingData } from './validate-training-data.ts';

/**
 * The pipeline (ValidateTrainingData's job through StartFineTuningJob's Parameters and the .sync
 * integration) and `tunekit train` (createJobInput) send the same CreateModelCustomizationJob request
 * for each method.
 */

const ROLE = 'arn:aws:iam::000000000000:role/r';
const GRADER = 'arn:aws:lambda:us-east-1:000000000000:function:banking-assistant-grader';

function s3Serving(body: Buffer) {
  return {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      if (command.constructor.name === 'GetObjectCommand')
        return { Body: { transformToByteArray: async () => new Uint8Array(body) } };
      throw new Error(`unexpected ${command.constructor.name}`);
    },
  };
}

function projectDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tk-job-'));
  mkdirSync(join(dir, 'eval'));
  copyFileSync(SAMPLES.bankingSuite, join(dir, 'eval', 'suite.json'));
  return dir;
}

/** Resolves the state's `.$` paths against the state input, as Step Functions does (JSONPath subset). */
function resolve(parameters: unknown, state: unknown): unknown {
  if (Array.isArray(parameters)) return parameters.map((p) => resolve(p, state));
  if (!parameters || typeof parameters !== 'object') return parameters;
  return Object.fromEntries(
    Object.entries(parameters).map(([k, v]) =>
      k.endsWith('.$')
        ? [
            k.slice(0, -2),
            (v as string)
              .slice(2)
              .split('.')
              .reduce<unknown>((o, key) => (o as Record<string, unknown>)[key], state),
          ]
        : [k, resolve(v, state)],
    ),
  );
}

async function bothRequests(config: ConfigInput, body: Buffer) {
  const parsed = ConfigSchema.parse(config);
  const result = await validateTrainingData(
    {
      bucket: 'tunekit-local',
      key: 'training-data/train.jsonl',
      executionName: 'data-1',
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:p:data-1',
    },
    { config: parsed, clients: { s3: s3Serving(body) } as never, configDir: projectDir() },
  );
  if (!('job' in result)) throw new Error(`invalid: ${JSON.stringify(result.errors)}`);
  const definition = pipelineDefinition(jobRequestFields(parsed.training, parsed.customization));
  expect(validateDefinition(definition)).toEqual([]);
  const states = (definition as { States: Record<string, { Parameters: Record<string, unknown> }> }).States;
  const parameters = JSON.parse(
    JSON.stringify(states.StartFineTuningJob!.Parameters)
      .replace(placeholder('BedrockJobRoleArn'), ROLE)
      .replace(placeholder(GRADER_SUBSTITUTION), GRADER),
  );
  const pipeline = toSdkInput(resolve(parameters, { validation: { Payload: result } }));
  return { pipeline, train: createJobInput(result.job, ROLE, GRADER) };
}

const rftLines = Array.from({ length: 100 }, (_, i) =>
  JSON.stringify({
    messages: [{ role: 'user', content: `How much is ${i} + ${i}?` }],
    reference_answer: { answer: 2 * i },
  }),
).join('\n');

describe('CreateModelCustomizationJob per method', () => {
  it('fine-tuning: FINE_TUNING with the string hyperparameters and no customizationConfig', async () => {
    const { pipeline, train } = await bothRequests({}, readFileSync(SAMPLES.bankingTrain));
    expect(pipeline).toEqual(train);
    expect(train).toMatchObject({ customizationType: 'FINE_TUNING', hyperParameters: { epochCount: '2' } });
    expect(train).not.toHaveProperty('customizationConfig');
  });

  it('distillation: DISTILLATION with the teacher, no hyperparameters', async () => {
    const { pipeline, train } = await bothRequests(
      {
        customization: {
          method: 'distillation',
          distillation: { teacherModel: 'nova-premier', maxResponseLengthForInference: 1000 },
        },
      },
      readFileSync(SAMPLES.bankingTrain),
    );
    expect(pipeline).toEqual(train);
    expect(train.customizationType).toBe('DISTILLATION');
    expect(train.customizationConfig).toEqual({
      distillationConfig: {
        teacherModelConfig: {
          teacherModelIdentifier: 'amazon.nova-premier-v1:0',
          maxResponseLengthForInference: 1000,
        },
      },
    });
    expect(train).not.toHaveProperty('hyperParameters');
  });

  it('reinforcement: REINFORCEMENT_FINE_TUNING with the grader and typed hyperparameters in rftConfig', async () => {
    const { pipeline, train } = await bothRequests(
      {
        baseModel: 'amazon.nova-2-lite-v1:0:256k',
        customization: {
          method: 'reinforcement',
          reinforcement: {
            grader: 'graders/grader.ts',
            hyperparameters: { epochCount: 2, batchSize: 16, reasoningEffort: 'low', learningRate: 1e-5 },
          },
        },
      },
      Buffer.from(rftLines),
    );
    expect(pipeline).toEqual(train);
    expect(train.customizationType).toBe('REINFORCEMENT_FINE_TUNING');
    expect(train.customizationConfig).toEqual({
      rftConfig: {
        graderConfig: { lambdaGrader: { lambdaArn: GRADER } },
        hyperParameters: { epochCount: 2, batchSize: 16, reasoningEffort: 'low', learningRate: 1e-5 },
      },
    });
    expect(train).not.toHaveProperty('hyperParameters');
  });

  it('refuses fine-tuning hyperparameters for another method, naming where to put them', async () => {
    await expect(
      bothRequests(
        {
          baseModel: 'amazon.nova-2-lite-v1:0:256k',
          hyperparameters: { epochCount: 2 },
          customization: { method: 'reinforcement', reinforcement: { grader: 'g.ts' } },
        },
        Buffer.from(rftLines),
      ),
    ).rejects.toThrow(/epochCount.*apply to fine-tuning, not reinforcement/);
  });
});
