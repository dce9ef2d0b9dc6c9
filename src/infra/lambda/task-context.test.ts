import { describe, expect, it } from 'vitest';
import { configFromEnvironment } from './task-context.ts';

const deployed = {
  TUNEKIT_PROJECT: 'bank',
  TUNEKIT_BUCKET: 'bank-bucket-1',
  TUNEKIT_BEDROCK_ROLE_ARN: 'arn:aws:iam::111122223333:role/job',
  TUNEKIT_TRAINING_PREFIX: 'training-data/',
  TUNEKIT_TRAINING_SUFFIX: '.jsonl',
  TUNEKIT_REGISTRY_PREFIX: 'models/',
  TUNEKIT_SUITE_URI: 's3://bank-bucket-1/eval/suite.json',
  TUNEKIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:topic',
  AWS_REGION: 'eu-west-1',
};

describe('configFromEnvironment', () => {
  it('overlays what the stack knows on the synthesized settings', () => {
    // GIVEN settings from the config and a deployed environment
    const env = {
      ...deployed,
      TUNEKIT_CONFIG: JSON.stringify({
        baseModel: 'amazon.nova-lite-v1:0:300k',
        bucket: 'tunekit-local',
        evaluation: { suite: 'eval/suite.json', concurrency: 8 },
        gate: { minInDomainImprovement: 0.1 },
      }),
    };
    // WHEN the Lambda builds its config
    const config = configFromEnvironment(env);
    // THEN the stack's bucket, suite, topic and region win; the rest of the settings are kept
    expect(config.bucket).toBe('bank-bucket-1');
    expect(config.region).toBe('eu-west-1');
    expect(config.baseModel).toBe('amazon.nova-lite-v1:0:300k');
    expect(config.evaluation).toMatchObject({ suite: 's3://bank-bucket-1/eval/suite.json', concurrency: 8 });
    expect(config.gate.minInDomainImprovement).toBe(0.1);
    expect(config.notify).toEqual([
      { type: 'console' },
      { type: 'sns', topicArn: deployed.TUNEKIT_TOPIC_ARN },
    ]);
    expect(config.roleArn).toBe(deployed.TUNEKIT_BEDROCK_ROLE_ARN);
  });

  it('evaluates on held-out data when the stack has no suite, even if the synthesized config named one', () => {
    const { TUNEKIT_SUITE_URI: _, ...noSuite } = deployed;
    const config = configFromEnvironment({
      ...noSuite,
      TUNEKIT_EVALUATION: 'held-out',
      TUNEKIT_CONFIG: JSON.stringify({ evaluation: { suite: 'eval/suite.json', concurrency: 8 } }),
    });
    expect(config.evaluation.suite).toBeUndefined();
    expect(config.evaluation.concurrency).toBe(8);
    // Without the held-out mode a missing suite URI is a deployment error, not a silent fallback.
    expect(() => configFromEnvironment(noSuite)).toThrow(/TUNEKIT_SUITE_URI is not set/);
  });

  it('names the missing variable and the invalid setting', () => {
    const { TUNEKIT_BUCKET: _, ...withoutBucket } = deployed;
    expect(() => configFromEnvironment(withoutBucket)).toThrow(
      'tunekit task: environment variable TUNEKIT_BUCKET is not set (deploy with the FineTunePipeline construct)',
    );
    expect(() =>
      configFromEnvironment({
        ...deployed,
        TUNEKIT_CONFIG: JSON.stringify({ evaluation: { concurrency: 0 } }),
      }),
    ).toThrow(/invalid configuration from TUNEKIT_CONFIG: evaluation\.concurrency: /);
    expect(() => configFromEnvironment({ ...deployed, TUNEKIT_CONFIG: '{oops' })).toThrow(
      'tunekit task: TUNEKIT_CONFIG is not valid JSON',
    );
  });
});
