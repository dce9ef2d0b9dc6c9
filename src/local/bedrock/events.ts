import { randomUUID } from 'node:crypto';
import type { Account } from './arns.ts';
import type { JobRecord } from './records.ts';

/**
 * Bedrock's EventBridge "Model Customization Job State Change" event (bedrock-facts §7.1: status in
 * `detail.jobStatus`), emitted in process so local triggers can react as they would to the AWS event.
 */
export interface JobStateChangeEvent {
  version: '0';
  id: string;
  'detail-type': 'Model Customization Job State Change';
  source: 'aws.bedrock';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export type JobStateListener = (event: JobStateChangeEvent) => void;

export function jobStateChangeEvent(account: Account, job: JobRecord): JobStateChangeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Model Customization Job State Change',
    source: 'aws.bedrock',
    account: account.accountId,
    time: job.lastModifiedTime,
    region: account.region,
    resources: [job.jobArn],
    detail: {
      version: '0.0',
      jobName: job.jobName,
      jobArn: job.jobArn,
      outputModelName: job.outputModelName,
      outputModelArn: job.outputModelArn,
      roleArn: job.roleArn,
      jobStatus: job.status,
      ...(job.failureMessage ? { failureMessage: job.failureMessage } : {}),
      creationTime: job.creationTime,
      lastModifiedTime: job.lastModifiedTime,
      ...(job.endTime ? { endTime: job.endTime } : {}),
      baseModelArn: job.baseModelArn,
      hyperParameters: job.hyperParameters,
      trainingDataConfig: job.trainingDataConfig,
      validationDataConfig: job.validationDataConfig,
      outputDataConfig: job.outputDataConfig,
    },
  };
}
