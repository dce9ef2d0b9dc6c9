import { describe, expect, it } from 'vitest';
import { toScheduleExpression } from './schedule-expression.ts';

describe('toScheduleExpression', () => {
  it('turns a 5-field cron into a Scheduler cron with ? in the unused day field', () => {
    expect(toScheduleExpression('0 3 * * *')).toBe('cron(0 3 * * ? *)');
    expect(toScheduleExpression('30 2 1 * *')).toBe('cron(30 2 1 * ? *)');
  });

  it('shifts Unix day-of-week numbers (Sunday 0) to Scheduler numbers (Sunday 1)', () => {
    expect(toScheduleExpression('0 3 * * 1')).toBe('cron(0 3 ? * 2 *)');
    expect(toScheduleExpression('0 3 * * 0,6')).toBe('cron(0 3 ? * 1,7 *)');
    expect(toScheduleExpression('0 3 * * 1-5')).toBe('cron(0 3 ? * 2-6 *)');
    expect(toScheduleExpression('0 3 * * MON-FRI')).toBe('cron(0 3 ? * MON-FRI *)');
  });

  it('passes Scheduler expressions through', () => {
    expect(toScheduleExpression('rate(7 days)')).toBe('rate(7 days)');
    expect(toScheduleExpression('cron(0 3 ? * 2 *)')).toBe('cron(0 3 ? * 2 *)');
  });

  it('fails with the reason and an example for malformed expressions', () => {
    expect(() => toScheduleExpression('0 3 * *')).toThrow(
      'retrainSchedule "0 3 * *" has 4 fields; use 5 (minute hour day-of-month month day-of-week, UTC), e.g. "0 3 * * 1", or a Scheduler expression such as "rate(7 days)"',
    );
    expect(() => toScheduleExpression('0 3 1 * 1')).toThrow('sets both day-of-month and day-of-week');
    expect(() => toScheduleExpression('0 3 * * 9')).toThrow('day-of-week 9 is out of range 0-7');
  });
});
