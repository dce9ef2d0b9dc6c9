import { CronExpressionParser } from 'cron-parser';
import { TunekitError } from '../../errors.ts';

/**
 * The retraining schedule (config `schedule`, 5-field cron in UTC): a timer that fires at each
 * occurrence. What a tick does (train on the newest data) is the caller's; this only keeps time.
 */

const CRON_HINT = 'use minute hour day-of-month month day-of-week, e.g. "0 3 * * 1" for Mondays at 03:00 UTC';

export function parseSchedule(expression: string) {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new TunekitError(
      'CONFIG.SCHEDULE',
      `schedule "${expression}" has ${fields.length} fields; expected 5`,
      { hint: CRON_HINT },
    );
  }
  try {
    return CronExpressionParser.parse(expression, { tz: 'UTC', strict: false });
  } catch (error) {
    throw new TunekitError(
      'CONFIG.SCHEDULE',
      `schedule "${expression}" is not a valid cron expression: ${(error as Error).message}`,
      { hint: CRON_HINT },
    );
  }
}

/** The next `count` occurrences after `from`. */
export function nextRuns(expression: string, from: Date, count = 1): Date[] {
  const cron = CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: from });
  return Array.from({ length: count }, () => cron.next().toDate());
}

/** Calls `onTick(scheduledTime)` at each occurrence until stopped. */
export function startSchedule(
  expression: string,
  onTick: (at: Date) => void,
  now: () => Date = () => new Date(),
) {
  parseSchedule(expression);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    const [at] = nextRuns(expression, now());
    // setTimeout caps at ~24.8 days; re-arm in steps for rarer schedules.
    const delay = Math.min(at!.getTime() - now().getTime(), 2 ** 31 - 1);
    timer = setTimeout(
      () => {
        if (now().getTime() >= at!.getTime() - 5) onTick(at!);
        arm();
      },
      Math.max(delay, 0),
    );
    timer.unref?.();
  };
  arm();
  return {
    next: () => nextRuns(expression, now())[0]!,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
