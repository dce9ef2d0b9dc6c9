/**
 * The Bedrock service role's documents, the same as the CDK construct (src/infra/bedrock-job-role.ts)
 * builds: trust only this account's customization jobs (confused-deputy protection), read only the data
 * prefixes, write only the output prefix.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/model-customization-iam-role.html
 */

import { JOB_OUTPUT_PREFIX } from '../bedrock/prepare-job.ts';
import { MANUAL_UPLOAD_PREFIX } from '../pipeline/start-run.ts';

export { JOB_OUTPUT_PREFIX, MANUAL_UPLOAD_PREFIX };

export function trustPolicy(account: string, region: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'bedrock.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${region}:${account}:model-customization-job/*` },
        },
      },
    ],
  };
}

export function dataAccessPolicy(bucket: string, dataPrefixes: string[], outputPrefix = JOB_OUTPUT_PREFIX) {
  const arn = `arn:aws:s3:::${bucket}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadTrainingData',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: dataPrefixes.map((p) => `${arn}/${p}*`),
      },
      {
        Sid: 'ListTrainingData',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: arn,
        Condition: { StringLike: { 's3:prefix': [...dataPrefixes, outputPrefix].map((p) => `${p}*`) } },
      },
      {
        // Bedrock writes the job's outputs and may read them back (the same as the CDK job role).
        Sid: 'WriteJobOutputs',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject'],
        Resource: `${arn}/${outputPrefix}*`,
      },
    ],
  };
}
