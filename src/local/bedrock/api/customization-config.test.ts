import { describe, expect, it } from 'vitest';
import { findModel } from '../../../models/catalog.ts';
import { baseModelIdOf } from '../../../models/teachers.ts';
import { BedrockError } from '../errors.ts';
import { parseCustomization } from './customization-config.ts';

const micro = findModel('amazon.nova-micro-v1:0:128k')!;
const lite2 = findModel('amazon.nova-2-lite-v1:0:256k')!;
const haiku = findModel('anthropic.claude-3-haiku-20240307-v1:0:200k')!;
const GRADER = 'arn:aws:lambda:us-east-1:000000000000:function:grader';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BedrockError);
    expect((error as BedrockError).type).toBe('ValidationException');
    return (error as Error).message;
  }
  throw new Error('expected a ValidationException');
}

const distill = (teacherModelIdentifier: string, extra: Record<string, unknown> = {}) => ({
  customizationType: 'DISTILLATION',
  customizationConfig: { distillationConfig: { teacherModelConfig: { teacherModelIdentifier, ...extra } } },
});
const rft = (rftConfig: Record<string, unknown>) => ({
  customizationType: 'REINFORCEMENT_FINE_TUNING',
  customizationConfig: { rftConfig },
});

describe('customizationType and customizationConfig (CreateModelCustomizationJob)', () => {
  it('accepts a distillation job with a teacher the student supports, by id, profile or ARN', () => {
    for (const id of [
      'amazon.nova-pro-v1:0',
      'us.amazon.nova-premier-v1:0',
      'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0',
    ]) {
      const parsed = parseCustomization(distill(id, { maxResponseLengthForInference: 1000 }), micro);
      expect(parsed.customizationType).toBe('DISTILLATION');
      expect(parsed.customizationConfig).toEqual({
        distillationConfig: {
          teacherModelConfig: { teacherModelIdentifier: id, maxResponseLengthForInference: 1000 },
        },
      });
    }
    expect(
      baseModelIdOf('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0'),
    ).toBe('amazon.nova-pro-v1:0');
  });

  it('refuses a teacher that does not teach the student, naming the field and the valid teachers', () => {
    const message = refusal(() => parseCustomization(distill('amazon.nova-lite-v1:0'), micro));
    expect(message).toMatch(
      /customizationConfig\.distillationConfig\.teacherModelConfig\.teacherModelIdentifier/,
    );
    expect(message).toMatch(/Supported teachers: amazon\.nova-premier-v1:0, amazon\.nova-pro-v1:0/);
  });

  it('refuses a teacher id that breaks the API pattern, in AWS constraint wording', () => {
    expect(refusal(() => parseCustomization(distill('Nova Pro!'), micro))).toMatch(
      /^1 validation error detected: Value 'Nova Pro!' at 'customizationConfig\.distillationConfig\.teacherModelConfig\.teacherModelIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
  });

  it('refuses a method the model does not support, and a method without its config', () => {
    expect(
      refusal(() =>
        parseCustomization(rft({ graderConfig: { lambdaGrader: { lambdaArn: GRADER } } }), micro),
      ),
    ).toMatch(/amazon\.nova-micro-v1:0:128k does not support customization type REINFORCEMENT_FINE_TUNING/);
    expect(refusal(() => parseCustomization(distill('amazon.nova-pro-v1:0'), haiku))).toMatch(
      /does not support customization type DISTILLATION/,
    );
    expect(refusal(() => parseCustomization({ customizationType: 'DISTILLATION' }, micro))).toMatch(
      /customizationConfig\.distillationConfig is required when customizationType is DISTILLATION/,
    );
    expect(refusal(() => parseCustomization({ customizationType: 'TUNING' }, micro))).toMatch(
      /at 'customizationType' failed to satisfy constraint: Member must satisfy enum value set/,
    );
  });

  it('refuses a config that does not go with the type, and a union with two members', () => {
    expect(
      refusal(() =>
        parseCustomization(
          { customizationConfig: distill('amazon.nova-pro-v1:0').customizationConfig },
          micro,
        ),
      ),
    ).toMatch(/does not go with customizationType FINE_TUNING/);
    expect(
      refusal(() =>
        parseCustomization(
          {
            customizationType: 'REINFORCEMENT_FINE_TUNING',
            customizationConfig: { rftConfig: {}, distillationConfig: {} },
          },
          lite2,
        ),
      ),
    ).toMatch(/exactly one of distillationConfig, rftConfig/);
  });

  it('accepts RFT on Nova 2 Lite with botocore-valid hyperparameters', () => {
    const hyperParameters = {
      epochCount: 2,
      batchSize: 16,
      learningRate: 0.0001,
      trainingSamplePerPrompt: 4,
      inferenceMaxTokens: 512,
      reasoningEffort: 'low',
      evalInterval: 1,
    };
    const parsed = parseCustomization(
      rft({ graderConfig: { lambdaGrader: { lambdaArn: GRADER } }, hyperParameters }),
      lite2,
    );
    expect(parsed.customizationConfig).toEqual({
      rftConfig: { graderConfig: { lambdaGrader: { lambdaArn: GRADER } }, hyperParameters },
    });
  });

  it('refuses RFT without a grader, a bad Lambda ARN and out-of-range hyperparameters', () => {
    expect(refusal(() => parseCustomization(rft({}), lite2))).toMatch(/rftConfig\.graderConfig is required/);
    expect(
      refusal(() =>
        parseCustomization(rft({ graderConfig: { lambdaGrader: { lambdaArn: 'grader' } } }), lite2),
      ),
    ).toMatch(
      /at 'customizationConfig\.rftConfig\.graderConfig\.lambdaGrader\.lambdaArn' failed to satisfy constraint/,
    );
    const bad = (hyperParameters: Record<string, unknown>) =>
      refusal(() =>
        parseCustomization(
          rft({ graderConfig: { lambdaGrader: { lambdaArn: GRADER } }, hyperParameters }),
          lite2,
        ),
      );
    expect(bad({ trainingSamplePerPrompt: 1 })).toMatch(
      /Value '1' at 'customizationConfig\.rftConfig\.hyperParameters\.trainingSamplePerPrompt' failed to satisfy constraint: Member must have value greater than or equal to 2/,
    );
    expect(bad({ batchSize: 1024 })).toMatch(
      /batchSize' failed to satisfy constraint: Member must have value less than or equal to 512/,
    );
    expect(bad({ reasoningEffort: 'max' })).toMatch(/enum value set: \[low, medium, high\]/);
    expect(bad({ epochs: 2 })).toMatch(/hyperParameters\.epochs is not a member/);
    expect(
      refusal(() =>
        parseCustomization(
          {
            ...rft({ graderConfig: { lambdaGrader: { lambdaArn: GRADER } } }),
            hyperParameters: { epochCount: '2' },
          },
          lite2,
        ),
      ),
    ).toMatch(/put them in customizationConfig\.rftConfig\.hyperParameters/);
  });
});
