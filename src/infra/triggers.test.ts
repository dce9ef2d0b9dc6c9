import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { uploadEventPattern } from './triggers.ts';

// Match.wildcard renders through a Token; resolve it as CloudFormation would see it.
const rendered = (bucket: string, prefix: string, suffix: string) =>
  new Stack().resolve(uploadEventPattern(bucket, prefix, suffix));

describe('uploadEventPattern', () => {
  it('matches S3 Object Created events for the bucket with prefix AND suffix in one wildcard', () => {
    expect(rendered('my-bucket', 'training-data/', '.jsonl')).toEqual({
      source: ['aws.s3'],
      detailType: ['Object Created'],
      detail: { bucket: { name: ['my-bucket'] }, object: { key: [{ wildcard: 'training-data/*.jsonl' }] } },
    });
  });

  it('escapes a literal * in the prefix or suffix so it is not a wildcard', () => {
    expect(rendered('b', 'data*/', '.jsonl').detail.object).toEqual({
      key: [{ wildcard: 'data\\*/*.jsonl' }],
    });
  });
});
