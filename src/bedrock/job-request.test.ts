import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../config/schema.ts';
import { createJobInput, jobCustomization } from './job-request.ts';

const teacherOf = (teacherModel: string) =>
  jobCustomization(
    ConfigSchema.parse({ customization: { method: 'distillation', distillation: { teacherModel } } }),
  ).teacherModelConfig?.teacherModelIdentifier;

describe('jobCustomization: the teacher as sent', () => {
  it('sends the foundation-model id for an alias or the customization id, a profile or ARN as written', () => {
    expect(teacherOf('nova-premier')).toBe('amazon.nova-premier-v1:0');
    expect(teacherOf('amazon.nova-pro-v1:0:300k')).toBe('amazon.nova-pro-v1:0');
    expect(teacherOf('us.amazon.nova-premier-v1:0')).toBe('us.amazon.nova-premier-v1:0');
    const arn = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0';
    expect(teacherOf(arn)).toBe(arn);
  });

  it('leaves fine-tuning without a customizationConfig part', () => {
    expect(jobCustomization(ConfigSchema.parse({}))).toEqual({
      method: 'fine-tuning',
      customizationType: 'FINE_TUNING',
    });
  });
});

describe('createJobInput: distillation from invocation logs', () => {
  it('names the logs in trainingDataConfig.invocationLogsConfig, with the selection, instead of s3Uri', () => {
    const config = ConfigSchema.parse({
      baseModel: 'nova-micro',
      customization: { method: 'distillation', distillation: { teacherModel: 'nova-pro' } },
    });
    const logs = {
      s3Uri: 's3://logs/AWSLogs/',
      usePromptResponse: true,
      requestMetadataFilters: { equals: { use: 'distill' } },
    };
    const request = createJobInput(
      {
        ...jobCustomization(config),
        jobName: 'j',
        customModelName: 'm',
        clientRequestToken: 't',
        baseModelIdentifier: 'amazon.nova-micro-v1:0:128k',
        hyperParameters: {},
        trainingS3Uri: logs.s3Uri,
        invocationLogs: logs,
        outputS3Uri: 's3://b/out/',
        jobTags: [],
        customModelTags: [],
      },
      'arn:aws:iam::000000000000:role/r',
    );
    // botocore bedrock TrainingDataConfig {s3Uri?, invocationLogsConfig? {invocationLogSource {s3Uri},
    // usePromptResponse, requestMetadataFilters}}.
    expect(request.trainingDataConfig).toEqual({
      invocationLogsConfig: {
        invocationLogSource: { s3Uri: 's3://logs/AWSLogs/' },
        usePromptResponse: true,
        requestMetadataFilters: { equals: { use: 'distill' } },
      },
    });
  });
});
