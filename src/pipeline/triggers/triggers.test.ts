import { describe, expect, it } from 'vitest';
import { matchesAll, matchesPattern, trainingDataPatterns } from './event-pattern.ts';
import { executionNameFor, objectCreatedEvent } from './s3-event.ts';
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

describe('execution names', () => {
  it('are the same for the same delivery and different for a new upload of the same key', () => {
    const a = executionNameFor(object);
    expect(executionNameFor({ ...object, etag: 'abc' })).toBe(a); // quotes around etags don't matter
    expect(executionNameFor({ ...object, sequencer: '0002' })).not.toBe(a);
    expect(a).toMatch(/^s3-train-[0-9a-f]{16}$/);
  });
  it('stay within Step Functions rules for any key', () => {
    const name = executionNameFor({ ...object, key: `training-data/${'ü x:/'.repeat(40)}.jsonl` });
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
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
