import type { Outcome, ValidationIssue } from './outcome.ts';

/**
 * One rendering of an outcome that every notifier shares: a short subject (SNS allows 100 characters,
 * one line), a one-paragraph summary, and structured fields for chat tools and machines.
 */
export interface NotificationMessage {
  subject: string;
  text: string;
  fields: { title: string; value: string }[];
  severity: 'good' | 'warning' | 'danger';
}

const MAX_ISSUES = 5;

export function renderMessage(outcome: Outcome): NotificationMessage {
  const fields: NotificationMessage['fields'] = [
    { title: 'Project', value: outcome.project },
    { title: 'Execution', value: outcome.executionId },
  ];
  const scores = Object.entries(outcome.scores);
  const { title: scoreTitle, value: scoreValue } = scoreSummary(outcome);
  if (scores.length) fields.push({ title: scoreTitle, value: scoreValue });
  if (outcome.reportUri) fields.push({ title: 'Report', value: outcome.reportUri });
  const report = outcome.reportUri ? ` Report: ${outcome.reportUri}.` : '';
  const scoreText = scores.length ? ` ${scoreTitle}: ${scoreValue}.` : '';
  switch (outcome.status) {
    case 'succeeded':
      fields.push({ title: 'Version', value: outcome.version });
      return {
        subject: subject(
          `${outcome.project} ${outcome.version} ${outcome.promoted ? 'promoted to production' : 'registered'}`,
        ),
        text:
          `Fine-tuning of ${outcome.project} succeeded: ${outcome.version} passed the evaluation gate and was ` +
          `${outcome.promoted ? 'promoted to production' : 'registered (not promoted; run `tunekit registry promote ' + outcome.version + '`)'}.` +
          scoreText +
          report,
        fields,
        severity: 'good',
      };
    case 'rejected':
      fields.push({ title: 'Gate', value: outcome.reasons.join('; ') });
      return {
        subject: subject(
          `${outcome.project} ${outcome.version ?? 'candidate'} rejected by the evaluation gate`,
        ),
        text:
          `The ${outcome.project} candidate${outcome.version ? ` ${outcome.version}` : ''} was trained but rejected by the ` +
          `evaluation gate: ${outcome.reasons.join('; ')}. Production is unchanged.` +
          scoreText +
          report,
        fields,
        severity: 'warning',
      };
    case 'validation-failed': {
      const total = outcome.issueCount ?? outcome.issues.length;
      const shown = outcome.issues.slice(0, MAX_ISSUES).map(formatIssue);
      const more = total > shown.length ? ` ...and ${total - shown.length} more` : '';
      fields.push({ title: 'Data', value: outcome.dataUri }, { title: 'Issues', value: `${total}` });
      return {
        subject: subject(
          `${outcome.project} training data failed validation (${total} issue${total === 1 ? '' : 's'})`,
        ),
        text:
          `Training data ${outcome.dataUri} failed validation with ${total} issue${total === 1 ? '' : 's'}; no training was started: ` +
          `${shown.join('; ')}${more}. Fix the file and upload it again, or run \`tunekit data validate\` locally.` +
          report,
        fields,
        severity: 'danger',
      };
    }
    case 'failed':
      fields.push(
        { title: 'Failed state', value: outcome.failedState },
        { title: 'Cause', value: outcome.cause },
      );
      return {
        subject: subject(`${outcome.project} pipeline failed in ${outcome.failedState}`),
        text:
          `The ${outcome.project} pipeline failed in state ${outcome.failedState}: ${outcome.cause}.` +
          report,
        fields,
        severity: 'danger',
      };
    case 'job-state-changed': {
      fields.push({ title: 'Job', value: outcome.jobName }, { title: 'Status', value: outcome.jobStatus });
      if (outcome.failureMessage) fields.push({ title: 'Failure', value: outcome.failureMessage });
      return {
        subject: subject(`${outcome.project} fine-tuning job ${outcome.jobName} is ${outcome.jobStatus}`),
        text:
          `Bedrock model customization job ${outcome.jobName} (${outcome.executionId}) is now ${outcome.jobStatus}` +
          `${outcome.failureMessage ? `: ${outcome.failureMessage}` : ''}.`,
        fields,
        severity:
          outcome.jobStatus === 'Completed' ? 'good' : outcome.jobStatus === 'Failed' ? 'danger' : 'warning',
      };
    }
  }
}

function formatIssue(issue: ValidationIssue): string {
  const where = [issue.file, issue.line].filter((x) => x !== undefined).join(':');
  return `${where}${where && issue.path ? ' ' : ''}${issue.path}${where || issue.path ? ': ' : ''}${issue.message}`;
}

/** SNS: at most 100 printable ASCII characters on one line. */
function subject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 99)}~`;
}

/**
 * "overall 0.840, inDomain 0.900", or with the comparisons the gate used, each score as
 * candidate / baseline / production: "Scores (candidate / baseline / production): overall 0.840 / 0.610 / 0.800".
 */
function scoreSummary(outcome: Outcome): { title: string; value: string } {
  const columns = [
    { label: 'candidate', scores: outcome.scores },
    ...(outcome.baselineScores ? [{ label: 'baseline', scores: outcome.baselineScores }] : []),
    ...(outcome.productionScores ? [{ label: 'production', scores: outcome.productionScores }] : []),
  ];
  const fmt = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(3));
  const value = Object.keys(outcome.scores)
    .map((key) => `${key} ${columns.map((c) => fmt(c.scores[key])).join(' / ')}`)
    .join(', ');
  return {
    title: columns.length > 1 ? `Scores (${columns.map((c) => c.label).join(' / ')})` : 'Scores',
    value,
  };
}
