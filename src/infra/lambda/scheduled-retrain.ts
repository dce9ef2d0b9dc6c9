import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { createAwsClients } from '../../aws/clients.ts';
import { isTunekitError } from '../../errors.ts';
import { newestTrainingObject, startRun, type TrainingLocation } from '../../pipeline/start-run.ts';

export interface RetrainTarget extends TrainingLocation {
  stateMachineArn: string;
  /** trainingFingerprint of the deployed config (TUNEKIT_TRAINING_FINGERPRINT, computed at synth). */
  fingerprint: string;
  /** Region in the event (the Lambda's own). */
  region?: string;
}

export type RetrainResult =
  | { started: true; key: string; executionArn: string }
  | { started: false; reason: 'no-data' | 'already-trained'; key?: string };

/**
 * What the retraining schedule does on AWS — the same as the local schedule (src/cli/pipeline-stack.ts):
 * start the pipeline on the newest object under the training prefix, with the "Object Created" input an
 * upload produces. The execution is named by the object's content and the training settings, like an
 * upload's (src/pipeline/run-name.ts), so a schedule that fires again before new data arrives, or finds
 * data an upload already trained, starts nothing (Step Functions keeps names for 90 days).
 */
export async function startScheduledRetrain(
  clients: { s3: Pick<S3Client, 'send'>; sfn: Pick<SFNClient, 'send'> },
  target: RetrainTarget,
): Promise<RetrainResult> {
  let newest: Awaited<ReturnType<typeof newestTrainingObject>>;
  try {
    newest = await newestTrainingObject(clients.s3, target);
  } catch (error) {
    if (isTunekitError(error) && error.code === 'PIPELINE.NO_DATA')
      return { started: false, reason: 'no-data' };
    throw error;
  }
  const outcome = await startRun(clients, target.stateMachineArn, newest, {
    source: 'schedule',
    fingerprint: target.fingerprint,
    ...(target.region ? { region: target.region } : {}),
  });
  return outcome.started
    ? { started: true, key: newest.key, executionArn: outcome.executionArn }
    : { started: false, reason: 'already-trained', key: newest.key };
}

export async function handler(): Promise<RetrainResult> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`scheduled-retrain: environment variable ${name} is not set`);
    return value;
  };
  const result = await startScheduledRetrain(createAwsClients(), {
    bucket: env('TUNEKIT_BUCKET'),
    prefix: env('TUNEKIT_TRAINING_PREFIX'),
    suffix: env('TUNEKIT_TRAINING_SUFFIX'),
    stateMachineArn: env('TUNEKIT_STATE_MACHINE_ARN'),
    fingerprint: env('TUNEKIT_TRAINING_FINGERPRINT'),
    ...(process.env.AWS_REGION ? { region: process.env.AWS_REGION } : {}),
  });
  console.log(JSON.stringify(result));
  return result;
}
