import { describe, expect, it } from 'vitest';
import { dataAccessPolicy } from './role-policies.ts';

describe('the Bedrock service role reads invocation logs only when distillation is configured from them', () => {
  it('adds read and list on the logs prefix, and nothing else of that bucket', () => {
    const statements = dataAccessPolicy('data', ['training-data/'], {
      invocationLogsUri: 's3://my-logs/AWSLogs/123456789012/BedrockModelInvocationLogs/',
    }).Statement;
    const by = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(by.ReadInvocationLogs).toMatchObject({
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::my-logs/AWSLogs/123456789012/BedrockModelInvocationLogs/*',
    });
    expect(by.ListInvocationLogs).toMatchObject({
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::my-logs',
      Condition: { StringLike: { 's3:prefix': ['AWSLogs/123456789012/BedrockModelInvocationLogs/*'] } },
    });
    expect(dataAccessPolicy('data', ['training-data/']).Statement.map((s) => s.Sid)).toEqual([
      'ReadTrainingData',
      'ListTrainingData',
      'WriteJobOutputs',
    ]);
  });
});
