/**
 * tunekit's config takes a 5-field UTC cron (`0 3 * * 1` = Mondays 03:00), as cron-parser and every crontab
 * do; EventBridge Scheduler wants `cron(min hour day-of-month month day-of-week year)` where exactly one
 * of the two day fields is `?` and Sunday is 1, not 0. This converts one to the other, or passes an
 * expression that is already `cron(...)`, `rate(...)` or `at(...)` through.
 */
export function toScheduleExpression(expression: string): string {
  const trimmed = expression.trim();
  if (/^(cron|rate|at)\(.+\)$/.test(trimmed)) return trimmed;
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) {
    throw new Error(
      `retrainSchedule "${expression}" has ${fields.length} fields; use 5 (minute hour day-of-month month day-of-week, UTC), e.g. "0 3 * * 1", or a Scheduler expression such as "rate(7 days)"`,
    );
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const anyDay = (field: string) => field === '*' || field === '?';
  if (!anyDay(dayOfMonth) && !anyDay(dayOfWeek)) {
    throw new Error(
      `retrainSchedule "${expression}" sets both day-of-month and day-of-week; EventBridge Scheduler allows only one of them`,
    );
  }
  const dow = anyDay(dayOfWeek) ? '?' : shiftDaysOfWeek(dayOfWeek);
  const dom = anyDay(dayOfWeek) ? (dayOfMonth === '?' ? '*' : dayOfMonth) : '?';
  return `cron(${minute} ${hour} ${dom} ${month} ${dow} *)`;
}

/** Unix day numbers 0-7 (0 and 7 are Sunday) become Scheduler's 1-7 (1 is Sunday); names pass through. */
function shiftDaysOfWeek(field: string): string {
  return field.replace(/(^|[,-])(\d+)/g, (_match, separator: string, day: string) => {
    const n = Number(day);
    if (n > 7) throw new Error(`day-of-week ${n} is out of range 0-7 in retrainSchedule`);
    return `${separator}${(n % 7) + 1}`;
  });
}
