import { ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { objectCreatedEvent } from '../../pipeline/triggers/s3-event.ts';
import { startUploadedRun } from './upload-starter.ts';

type Sent = { input: Record<string, unknown> };

/** Step Functions remembering execution names (as StartExecution does) and an SNS that records messages. */
function doubles() {
  const names: string[] = [];
  const inputs: unknown[] = [];
  const published: Record<string, unknown>[] = [];
  const sfn = {
    send: async (command: Sent) => {
      const name = command.input.name as string;
      if (names.includes(name)) throw new ExecutionAlreadyExists({ message: 'exists', $metadata: {} });
      names.push(name);
      inputs.push(JSON.parse(command.input.input as string));
      return { executionArn: `arn:aws:states:us-east-1:111122223333:execution:bank-pipeline:${name}` };
    },
  };
  const sns = {
    send: async (command: Sent) => {
      published.push(command.input);
      return {};
    },
  };
  return { clients: { sfn, sns } as never, names, inputs, published };
}

const target = {
  stateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:bank-pipeline',
  fingerprint: 'f0',
  topicArn: 'arn:aws:sns:us-east-1:111122223333:topic',
};
const upload = (sequencer: string, etag = 'e1', key = 'training-data/train.jsonl') =>
  objectCreatedEvent({ bucket: 'b', key, etag, size: 42, sequencer });

describe('upload starter Lambda', () => {
  it('starts one training for an S3 event delivered twice and for identical bytes uploaded again', async () => {
    const { clients, names, inputs, published } = doubles();
    const event = upload('0001');
    // WHEN EventBridge delivers the event twice, and the same bytes are uploaded again later
    const first = await startUploadedRun(clients, target, event);
    const again = await startUploadedRun(clients, target, event);
    const reupload = await startUploadedRun(clients, target, upload('0002'));
    // THEN one execution, with the event itself as its input
    expect(first).toMatchObject({ started: true, name: expect.stringMatching(/^data-[0-9a-f]{16}$/) });
    expect(again).toEqual({ started: false, reason: 'duplicate', name: first.name });
    expect(reupload).toEqual({ started: false, reason: 'duplicate', name: first.name });
    expect(names).toEqual([first.name]);
    expect(inputs[0]).toEqual(event);
    // and the topic says why nothing started, naming the run that trained the data
    expect(published).toHaveLength(2);
    expect(published[1]).toMatchObject({
      TopicArn: target.topicArn,
      Message: expect.stringContaining(
        `s3://b/training-data/train.jsonl: identical data already trained in run ${first.name}`,
      ),
    });
  });

  it('starts a new run for new bytes, and for the same bytes under other training settings', async () => {
    const { clients, names, published } = doubles();
    await startUploadedRun(clients, target, upload('0001'));
    expect(await startUploadedRun(clients, target, upload('0002', 'e2'))).toMatchObject({ started: true });
    expect(await startUploadedRun(clients, { ...target, fingerprint: 'f1' }, upload('0003'))).toMatchObject({
      started: true,
    });
    expect(names).toHaveLength(3);
    expect(published).toEqual([]);
  });
});
