import type { SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { createAwsClients } from '../../aws/clients.ts';
import { alreadyTrainedMessage } from '../../pipeline/run-name.ts';
import { type RunStart, startObjectRun } from '../../pipeline/start-run.ts';
import type { ObjectCreatedEvent } from '../../pipeline/triggers/s3-event.ts';

/**
 * The upload rule's target on AWS: an EventBridge rule that targets a state machine directly cannot name
 * the execution (bedrock-facts §11.3), so every at-least-once redelivery and every re-upload of identical
 * bytes would start a new paid training job. This function starts the state machine on the event itself,
 * named by the object's content and the training settings (src/pipeline/run-name.ts), exactly as the
 * local S3 trigger does; a name Step Functions already has is "already trained", and the topic says so.
 */

export interface StarterTarget {
  stateMachineArn: string;
  /** trainingFingerprint of the deployed config (computed at synth). */
  fingerprint: string;
  /** Where "nothing started" is reported; unset: only logged. */
  topicArn?: string;
}

export async function startUploadedRun(
  clients: { sfn: Pick<SFNClient, 'send'>; sns: Pick<SNSClient, 'send'> },
  target: StarterTarget,
  event: ObjectCreatedEvent,
): Promise<RunStart> {
  const outcome = await startObjectRun(clients.sfn, target.stateMachineArn, event, target.fingerprint);
  if (!outcome.started && target.topicArn) {
    const uri = `s3://${event.detail.bucket.name}/${event.detail.object.key}`;
    await clients.sns.send(
      new PublishCommand({
        TopicArn: target.topicArn,
        Subject: 'tunekit: upload ignored, identical data already trained',
        Message: alreadyTrainedMessage(uri, outcome.name),
      }),
    );
  }
  return outcome;
}

export async function handler(event: ObjectCreatedEvent): Promise<RunStart> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`upload-starter: environment variable ${name} is not set`);
    return value;
  };
  const result = await startUploadedRun(
    createAwsClients(),
    {
      stateMachineArn: env('TUNEKIT_STATE_MACHINE_ARN'),
      fingerprint: env('TUNEKIT_TRAINING_FINGERPRINT'),
      ...(process.env.TUNEKIT_TOPIC_ARN ? { topicArn: process.env.TUNEKIT_TOPIC_ARN } : {}),
    },
    event,
  );
  console.log(JSON.stringify(result));
  return result;
}
