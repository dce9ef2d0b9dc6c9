/**
 * The Bedrock service role's documents, the same as the CDK construct (src/infra/bedrock-job-role.ts)
 * builds: trust only this account's customization jobs (confused-deputy protection), read only the data
 * prefixes, write only the output prefix.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/model-customization-iam-role.html
 */

import { JOB_OUTPUT_PREFIX } from '../bedrock/prepare-job.ts';
import { MANUAL_UPLOAD_PREFIX } from '../pipeline/start-run.ts';
import { parseS3Uri } from '../pipeline/tasks/context.ts';

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

/**
 * Reading model invocation logs for distillation (customization.distillation.invocationLogs): s3:GetObject
 * and s3:ListBucket on the logs ("Invocation log access",
 * https://docs.aws.amazon.com/bedrock/latest/userguide/rft-access-security.html, written for RFT; that a
 * distillation job needs the same is UNCONFIRMED), narrowed here to the configured prefix.
 */
function invocationLogStatements(logsUri: string) {
  const location = parseS3Uri(logsUri);
  if (!location) return [];
  const { bucket, key: prefix } = location;
  const arn = `arn:aws:s3:::${bucket}`;
  return [
    { Sid: 'ReadInvocationLogs', Effect: 'Allow', Action: 's3:GetObject', Resource: `${arn}/${prefix}*` },
    {
      Sid: 'ListInvocationLogs',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: arn,
      ...(prefix ? { Condition: { StringLike: { 's3:prefix': [`${prefix}*`] } } } : {}),
    },
  ];
}

export function dataAccessPolicy(
  bucket: string,
  dataPrefixes: string[],
  options: { outputPrefix?: string; invocationLogsUri?: string | undefined } = {},
) {
  const { outputPrefix = JOB_OUTPUT_PREFIX, invocationLogsUri } = options;
  const arn = `arn:aws:s3:::${bucket}`;
  return {
    Version: '2012-10-17',
    Statement: [
      ...(invocationLogsUri ? invocationLogStatements(invocationLogsUri) : []),
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
