import { type BedrockClient, ListModelCustomizationJobsCommand } from '@aws-sdk/client-bedrock';
import type { OutcomeInput } from '../../notify/outcome.ts';
import type { EventPattern } from './event-pattern.ts';

/**
 * Bedrock's "Model Customization Job State Change" events (bedrock-facts.md §7.1). On AWS an EventBridge
 * rule with JOB_STATE_CHANGE_PATTERN routes them (CDK: to SNS). The local stack has no event bus, so
 * `tunekit watch` derives the same events by polling ListModelCustomizationJobs and routes them to its log.
 */
export const JOB_STATE_CHANGE_PATTERN: EventPattern = {
  source: ['aws.bedrock'],
  'detail-type': ['Model Customization Job State Change'],
};

export interface JobSummary {
  jobArn?: string;
  jobName?: string;
  status?: string;
  customModelArn?: string;
  lastModifiedTime?: Date;
}

export function jobStateChangeEvent(job: JobSummary, region: string, account = '000000000000') {
  return {
    version: '0',
    id: `${job.jobArn}:${job.status}`,
    'detail-type': 'Model Customization Job State Change',
    source: 'aws.bedrock',
    account,
    time: (job.lastModifiedTime ?? new Date()).toISOString(),
    region,
    resources: [job.jobArn ?? ''],
    detail: {
      version: '0.0',
      jobName: job.jobName,
      jobArn: job.jobArn,
      outputModelArn: job.customModelArn,
      jobStatus: job.status,
    },
  };
}
export type JobStateChangeEvent = ReturnType<typeof jobStateChangeEvent>;

/** Polls job statuses; calls `onEvent` for every change after the first look. Returns a stop function. */
export function watchJobStateChanges(
  bedrock: BedrockClient,
  region: string,
  onEvent: (event: JobStateChangeEvent) => void,
  intervalMs = 2000,
): () => void {
  const seen = new Map<string, string>();
  let first = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    try {
      let token: string | undefined;
      do {
        const r = await bedrock.send(
          new ListModelCustomizationJobsCommand({ nextToken: token, maxResults: 100 }),
        );
        for (const job of r.modelCustomizationJobSummaries ?? []) {
          const before = seen.get(job.jobArn!);
          seen.set(job.jobArn!, String(job.status));
          if (!first && before !== job.status) onEvent(jobStateChangeEvent(job, region));
        }
        token = r.nextToken;
      } while (token);
      first = false;
    } catch {
      // A missed poll is made up by the next one; these events are best effort on AWS too.
    }
    if (!stopped) timer = setTimeout(() => void poll(), intervalMs);
  };
  void poll();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/** Job statuses worth a notification: the ends of a job, not every step on the way. */
const TERMINAL_JOB_STATUSES = new Set(['Completed', 'Failed', 'Stopped']);

/** The notification for a job state change, or undefined when the status is not a terminal one. */
export function jobStateNotification(event: JobStateChangeEvent, project: string): OutcomeInput | undefined {
  const { jobArn, jobName, jobStatus } = event.detail;
  if (!jobArn || !jobStatus || !TERMINAL_JOB_STATUSES.has(jobStatus)) return undefined;
  return { status: 'job-state-changed', executionId: jobArn, project, jobName: jobName ?? jobArn, jobStatus };
}
