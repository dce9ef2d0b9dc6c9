import { createHash } from 'node:crypto';

/**
 * The names tunekit gives Bedrock resources. Names derived from an execution are stable across retries of a
 * state (so a retried create finds what the first attempt made) and are how Teardown and the janitors find
 * an execution's leftovers even when they carry no tags.
 */

/** 12 hex chars identifying an execution: stable across retries of a state, so names are idempotent. */
export const executionTag = (executionArn: string) =>
  createHash('sha256').update(executionArn).digest('hex').slice(0, 12);

/** Names Bedrock accepts (`([0-9a-zA-Z][_-]?){1,63}`): no doubled separators, at most 63 chars. */
export function bedrockName(...parts: string[]): string {
  return parts
    .join('-')
    .replace(/[^0-9a-zA-Z_-]+/g, '-')
    .replace(/[-_]{2,}/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, 63)
    .replace(/[-_]+$/, '');
}

/** The deployment/Provisioned Throughput an execution creates for evaluation — Teardown finds it by this. */
export const evaluationDeploymentName = (project: string, executionArn: string) =>
  bedrockName(project, 'eval', executionTag(executionArn));

/** The deployment serving the `production` version during an execution's evaluation (deleted by Teardown). */
export const productionEvaluationDeploymentName = (project: string, executionArn: string) =>
  bedrockName(project, 'evalprod', executionTag(executionArn));

/** Every name an execution may have created a deployment under: what Teardown and the janitors look for. */
export const evaluationDeploymentNames = (project: string, executionArn: string) => [
  evaluationDeploymentName(project, executionArn),
  productionEvaluationDeploymentName(project, executionArn),
];

/** The customization job and custom model of a pipeline execution (`<project>-job-<tag>`, `<project>-<tag>`). */
export const executionJobNames = (project: string, executionArn: string) => {
  const tag = executionTag(executionArn);
  return {
    jobName: bedrockName(project, 'job', tag),
    customModelName: bedrockName(project, tag),
    clientRequestToken: `tunekit-${tag}`,
  };
};
