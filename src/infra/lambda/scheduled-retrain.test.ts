import { ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { startScheduledRetrain } from './scheduled-retrain.ts';

type Sent = { constructor: { name: string }; input: Record<string, unknown> };

/** S3 with two pages of objects and an SFN that remembers execution names, as StartExecution does. */
function doubles(objects: { Key: string; LastModified: Date; ETag: string; Size: number }[]) {
  const names = new Set<string>();
  const started: Record<string, unknown>[] = [];
  const s3 = {
    send: async (command: Sent) => {
      const half = Math.ceil(objects.length / 2);
      const first = !command.input.ContinuationToken;
      return first
        ? {
            Contents: objects.slice(0, half),
            IsTruncated: objects.length > half,
            NextContinuationToken: 'page2',
          }
        : { Contents: objects.slice(half), IsTruncated: false };
    },
  };
  const sfn = {
    send: async (command: Sent) => {
      const name = command.input.name as string;
      if (names.has(name)) throw new ExecutionAlreadyExists({ message: 'exists', $metadata: {} });
      names.add(name);
      started.push(command.input);
      return { executionArn: `arn:aws:states:us-east-1:1:execution:sm:${name}` };
    },
  };
  return { clients: { s3, sfn } as never, started };
}

const target = {
  bucket: 'b',
  prefix: 'training-data/',
  suffix: '.jsonl',
  stateMachineArn: 'arn:sm',
  fingerprint: 'f0',
};

describe('startScheduledRetrain', () => {
  it('starts one run on the newest matching object, and none when the schedule fires again', async () => {
    // GIVEN three objects across two pages; the newest .jsonl is on the second page, a newer .txt is ignored
    const { clients, started } = doubles([
      { Key: 'training-data/a.jsonl', LastModified: new Date('2026-11-01'), ETag: '"e1"', Size: 10 },
      { Key: 'training-data/notes.txt', LastModified: new Date('2026-11-20'), ETag: '"e2"', Size: 5 },
      { Key: 'training-data/b.jsonl', LastModified: new Date('2026-11-10'), ETag: '"e3"', Size: 20 },
    ]);
    // WHEN the schedule fires twice
    const first = await startScheduledRetrain(clients, target);
    const second = await startScheduledRetrain(clients, target);
    // THEN one execution on b.jsonl with the upload event's shape, and the repeat is recognised
    expect(first).toMatchObject({ started: true, key: 'training-data/b.jsonl' });
    expect(second).toEqual({ started: false, reason: 'already-trained', key: 'training-data/b.jsonl' });
    expect(started).toHaveLength(1);
    // The same input an upload produces (one shape for the state machine), named by the object's identity.
    const input = JSON.parse(started[0]!.input as string);
    expect(input).toMatchObject({ 'detail-type': 'Object Created', source: 'tunekit.schedule' });
    expect(input.detail).toMatchObject({
      bucket: { name: 'b' },
      object: { key: 'training-data/b.jsonl', size: 20, etag: 'e3' },
      reason: 'Scheduled',
    });
    expect(started[0]!.name).toMatch(/^data-[0-9a-f]{16}$/);
  });

  it('starts nothing when there is no training data', async () => {
    const { clients, started } = doubles([]);
    expect(await startScheduledRetrain(clients, target)).toEqual({ started: false, reason: 'no-data' });
    expect(started).toEqual([]);
  });
});
