import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConfigInput, ConfigSchema } from '../../config/schema.ts';
import { SAMPLES } from '../../samples.ts';
import { jobRequestFields, pipelineDefinition } from '../definition.ts';
import { validateDefinition } from '../validate-definition.ts';
import { toSdkInput } from './train-sync.ts';
import { validateTrainingData } from './validate-training-data.ts';

type Sent = { constructor: { name: string }; input: Record<string, unknown> };

/** S3 serving the training file and recording every call; no Bedrock (nothing may ask it). */
function clients() {
  const calls: Sent[] = [];
  const body = readFileSync(SAMPLES.bankingTrain);
  const s3 = {
    send: async (command: Sent) => {
      calls.push(command);
      if (
        command.constructor.name === 'GetObjectCommand' &&
        command.input.Key === 'training-data/train.jsonl'
      )
        return { Body: { transformToByteArray: async () => new Uint8Array(body) } };
      if (command.constructor.name === 'PutObjectCommand') return { ETag: '"e"' };
      throw Object.assign(new Error(`unexpected ${command.constructor.name} ${String(command.input.Key)}`), {
        name: 'Unexpected',
      });
    },
  };
  return {
    clients: { s3, bedrock: { send: async () => Promise.reject(new Error('no bedrock')) } } as never,
    calls,
  };
}

const input = {
  bucket: 'tunekit-local',
  key: 'training-data/train.jsonl',
  executionName: 'data-0123456789abcdef',
  executionArn: 'arn:aws:states:us-east-1:000000000000:execution:p:data-0123456789abcdef',
};

/** A project directory holding the suite the pre-flight loads first (eval/suite.json, the default). */
function projectDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tk-val-'));
  mkdirSync(join(dir, 'eval'));
  copyFileSync(SAMPLES.bankingSuite, join(dir, 'eval', 'suite.json'));
  return dir;
}

async function jobFor(config: ConfigInput, configDir = projectDir()) {
  const { clients: c, calls } = clients();
  const result = await validateTrainingData(input, {
    config: ConfigSchema.parse(config),
    clients: c,
    configDir,
  });
  if (!('job' in result)) throw new Error('training data invalid');
  return { job: result.job, calls };
}

describe('ValidateTrainingData job options (config training)', () => {
  it('trains from the base model by default, without reading the registry for a production model', async () => {
    const { job, calls } = await jobFor({});
    expect(job.baseModelIdentifier).toBe('amazon.nova-micro-v1:0:128k');
    expect(job).not.toHaveProperty('continuesFrom');
    expect(calls.map((c) => c.input.Key)).toEqual(['training-data/train.jsonl']);
    expect(job).not.toHaveProperty('validationS3Uri');
    expect(job).not.toHaveProperty('vpcConfig');
    expect(job).not.toHaveProperty('customModelKmsKeyId');
  });

  it('looks for the production model only when continueFromProduction is set', async () => {
    const { clients: c, calls } = clients();
    const config = ConfigSchema.parse({ training: { continueFromProduction: true } });
    await expect(
      validateTrainingData(input, { config, clients: c, configDir: projectDir() }),
    ).rejects.toThrow();
    // the registry (under models/) is read for the production version
    expect(calls.map((x) => String(x.input.Key))).toContainEqual(expect.stringMatching(/^models\//));
  });

  it('uploads a local validation file once under its content hash and passes KMS and VPC settings', async () => {
    const dir = projectDir();
    writeFileSync(join(dir, 'val.jsonl'), readFileSync(SAMPLES.tutorialConversation));
    const kms = 'arn:aws:kms:us-east-1:111122223333:key/0123abcd-0123-4567-89ab-0123456789ab';
    const vpc = { subnetIds: ['subnet-0a1b2c'], securityGroupIds: ['sg-0a1b2c'] };
    const { job, calls } = await jobFor(
      { training: { validationData: 'val.jsonl', customModelKmsKeyId: kms, vpc } },
      dir,
    );
    expect(job.validationS3Uri).toMatch(
      /^s3:\/\/tunekit-local\/manual-uploads\/validation\/[0-9a-f]{16}-val\.jsonl$/,
    );
    expect(calls.filter((c) => c.constructor.name === 'PutObjectCommand')).toHaveLength(1);
    expect(job.customModelKmsKeyId).toBe(kms);
    expect(job.vpcConfig).toEqual(vpc);
    // An s3:// URI is used as it is.
    const { job: remote } = await jobFor({ training: { validationData: 's3://other/val.jsonl' } });
    expect(remote.validationS3Uri).toBe('s3://other/val.jsonl');
  });

  it('names a missing local validation file with the fix', async () => {
    await expect(jobFor({ training: { validationData: 'nope.jsonl' } })).rejects.toThrow(
      /training\.validationData: .*nope\.jsonl is not a readable file/,
    );
  });

  it('reach CreateModelCustomizationJob through the definition only when set', () => {
    const params = (fields: Parameters<typeof pipelineDefinition>[0]) => {
      const def = pipelineDefinition(fields) as {
        States: Record<string, { Parameters: Record<string, unknown> }>;
      };
      return def.States.StartFineTuningJob!.Parameters;
    };
    expect(Object.keys(params({}))).not.toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^(ValidationDataConfig|VpcConfig|CustomModelKmsKeyId)/),
      ]),
    );
    const all = jobRequestFields({ validationData: 's3://b/v.jsonl', customModelKmsKeyId: 'k', vpc: {} });
    const p = params(all);
    expect(p).toMatchObject({
      ValidationDataConfig: { Validators: [{ 'S3Uri.$': '$.validation.Payload.job.validationS3Uri' }] },
      'CustomModelKmsKeyId.$': '$.validation.Payload.job.customModelKmsKeyId',
      VpcConfig: {
        'SubnetIds.$': '$.validation.Payload.job.vpcConfig.subnetIds',
        'SecurityGroupIds.$': '$.validation.Payload.job.vpcConfig.securityGroupIds',
      },
    });
    expect(validateDefinition(pipelineDefinition(all))).toEqual([]);
    // The local .sync integration sends them in the SDK's shape.
    expect(
      toSdkInput({
        ValidationDataConfig: { Validators: [{ S3Uri: 's3://b/v.jsonl' }] },
        VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
        CustomModelKmsKeyId: 'k',
      }),
    ).toEqual({
      validationDataConfig: { validators: [{ s3Uri: 's3://b/v.jsonl' }] },
      vpcConfig: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] },
      customModelKmsKeyId: 'k',
    });
  });
});
