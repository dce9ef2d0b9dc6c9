import { ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { alreadyTrainedMessage, contentRunName, trainingFingerprint } from '../run-name.ts';
import { startRun } from '../start-run.ts';
import { matchesAll, matchesPattern, trainingDataPatterns } from './event-pattern.ts';
import { objectCreatedEvent } from './s3-event.ts';
import { createS3Trigger } from './s3-trigger.ts';
import { nextRuns, parseSchedule } from './schedule.ts';

const object = {
  bucket: 'tunekit-local',
  key: 'training-data/train.jsonl',
  size: 10,
  etag: '"abc"',
  sequencer: '0001',
};

describe('event patterns', () => {
  const patterns = trainingDataPatterns('tunekit-local', 'training-data/', '.jsonl');
  it('matches an S3 Object Created event under the prefix with the suffix', () => {
    expect(matchesAll(patterns, objectCreatedEvent(object))).toBe(true);
  });
  it.each([
    ['another bucket', { ...object, bucket: 'other' }],
    ['outside the prefix', { ...object, key: 'data/train.jsonl' }],
    ['wrong suffix', { ...object, key: 'training-data/train.csv' }],
  ])('rejects %s', (_, o) => {
    expect(matchesAll(patterns, objectCreatedEvent(o))).toBe(false);
  });
  it('rejects other sources and detail types', () => {
    expect(matchesAll(patterns, objectCreatedEvent(object, { source: 'tunekit.manual' }))).toBe(false);
    expect(matchesAll(patterns, { ...objectCreatedEvent(object), 'detail-type': 'Object Deleted' })).toBe(
      false,
    );
  });
  it('treats a list as alternatives and an array value as any-of, like EventBridge', () => {
    expect(matchesPattern({ resources: ['arn:aws:s3:::tunekit-local'] }, objectCreatedEvent(object))).toBe(
      true,
    );
    expect(matchesPattern({ source: ['aws.s3', 'aws.bedrock'] }, { source: 'aws.bedrock' })).toBe(true);
    expect(matchesPattern({ detail: { missing: ['x'] } }, objectCreatedEvent(object))).toBe(false);
  });
});

describe('execution names (run-name.ts)', () => {
  const fp = trainingFingerprint({
    baseModel: 'amazon.nova-micro-v1:0:128k',
    hyperparameters: { epochCount: 2 },
  });
  it('name a run by the data (ETag, size) and the training settings, not by key or delivery', () => {
    const a = contentRunName(object, fp);
    expect(contentRunName({ ...object, etag: 'abc' }, fp)).toBe(a); // quotes around etags don't matter
    expect(contentRunName({ ...object, etag: 'abd' }, fp)).not.toBe(a);
    expect(contentRunName({ ...object, size: 11 }, fp)).not.toBe(a);
    expect(a).toMatch(/^data-[0-9a-f]{16}$/);
  });
  it('change with a training setting, whatever the key order', () => {
    const same = trainingFingerprint({
      hyperparameters: { epochCount: 2 },
      baseModel: 'amazon.nova-micro-v1:0:128k',
    });
    expect(same).toBe(fp);
    expect(
      trainingFingerprint({ baseModel: 'amazon.nova-micro-v1:0:128k', hyperparameters: { epochCount: 3 } }),
    ).not.toBe(fp);
    expect(
      trainingFingerprint({ baseModel: 'amazon.nova-lite-v1:0:300k', hyperparameters: { epochCount: 2 } }),
    ).not.toBe(fp);
  });
  it('change with the customization method and its teacher; fine-tuning keeps the old fingerprint', () => {
    const base = { baseModel: 'amazon.nova-micro-v1:0:128k', hyperparameters: { epochCount: 2 } };
    expect(trainingFingerprint({ ...base, customization: { method: 'fine-tuning' } })).toBe(fp);
    const premier = trainingFingerprint({
      ...base,
      customization: { method: 'distillation', distillation: { teacherModel: 'amazon.nova-premier-v1:0' } },
    });
    expect(premier).not.toBe(fp);
    expect(
      trainingFingerprint({
        ...base,
        customization: { method: 'distillation', distillation: { teacherModel: 'amazon.nova-pro-v1:0' } },
      }),
    ).not.toBe(premier);
  });
  it('record --force in a time-stamped suffix within Step Functions rules', () => {
    const forced = contentRunName(object, fp, new Date('2026-12-04T05:06:07.890Z'));
    expect(forced).toBe(`${contentRunName(object, fp)}-force-20261204T050607`);
    expect(forced.length).toBeLessThanOrEqual(80);
    expect(forced).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

/** A Step Functions double that remembers names, as StartExecution does (ExecutionAlreadyExists). */
function rememberingSfn() {
  const names: string[] = [];
  const sfn = {
    send: async (command: { input: { name?: string } }) => {
      const name = command.input.name!;
      if (names.includes(name)) throw new ExecutionAlreadyExists({ message: 'exists', $metadata: {} });
      names.push(name);
      return { executionArn: `arn:aws:states:us-east-1:000000000000:execution:sm:${name}` };
    },
  };
  return { sfn: sfn as never, names };
}

describe('local S3 trigger', () => {
  const fingerprint = trainingFingerprint({ baseModel: 'amazon.nova-micro-v1:0:128k' });
  const setup = () => {
    const double = rememberingSfn();
    const trigger = createS3Trigger({
      sfn: double.sfn,
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:sm',
      bucket: 'tunekit-local',
      prefix: 'training-data/',
      suffix: '.jsonl',
      fingerprint,
    });
    return { ...double, trigger };
  };

  it('starts one training for a duplicate event and for identical bytes uploaded again', async () => {
    const { trigger, names } = setup();
    expect(await trigger.handle(object)).toMatchObject({ started: true });
    // the same event delivered again (at least once)
    expect(await trigger.handle(object)).toMatchObject({ started: false, reason: 'duplicate' });
    // the same bytes uploaded again: a new sequencer, the same ETag and size; or under another key
    expect(await trigger.handle({ ...object, sequencer: '0002' })).toMatchObject({ started: false });
    expect(
      await trigger.handle({ ...object, key: 'training-data/copy.jsonl', sequencer: '0003' }),
    ).toMatchObject({
      started: false,
      name: names[0],
    });
    expect(names).toHaveLength(1);
    // new bytes are a new run
    expect(await trigger.handle({ ...object, etag: 'def', sequencer: '0004' })).toMatchObject({
      started: true,
    });
    expect(names).toHaveLength(2);
  });

  it('lets `tunekit run --force` retrain the same bytes, and a plain run say it already ran', async () => {
    const { trigger, sfn, names } = setup();
    await trigger.handle(object);
    const arn = 'arn:aws:states:us-east-1:000000000000:stateMachine:sm';
    const target = { bucket: object.bucket, key: object.key, etag: object.etag, size: object.size };
    const plain = await startRun({ sfn }, arn, target, { source: 'manual', fingerprint });
    expect(plain).toEqual({ started: false, reason: 'duplicate', name: names[0] });
    expect(alreadyTrainedMessage('s3://tunekit-local/training-data/train.jsonl', plain.name)).toMatch(
      /identical data already trained in run data-[0-9a-f]{16} .*--force/,
    );
    const forced = await startRun({ sfn }, arn, target, { source: 'manual', fingerprint, force: new Date() });
    expect(forced).toMatchObject({
      started: true,
      name: expect.stringMatching(/^data-[0-9a-f]{16}-force-\d{8}T\d{6}$/),
    });
    expect(names).toHaveLength(2);
  });
});

describe('schedule', () => {
  it('computes the next runs in UTC', () => {
    const runs = nextRuns('0 3 * * 1', new Date('2026-11-24T12:00:00Z'), 2);
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2026-11-30T03:00:00.000Z',
      '2026-12-07T03:00:00.000Z',
    ]);
  });
  it('rejects a malformed expression with a hint', () => {
    expect(() => parseSchedule('every monday')).toThrow(/expected 5/);
    expect(() => parseSchedule('61 * * * *')).toThrow(/not a valid cron/);
  });
});
