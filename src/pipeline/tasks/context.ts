import { createHash } from 'node:crypto';
import type { AwsClients } from '../../aws/clients.ts';
import type { Config } from '../../config/schema.ts';

/**
 * What every task handler gets besides its payload. Locally the CLI builds it from the loaded config and
 * the clients pointed at the local stack; on AWS the Lambda entry builds it from its environment.
 */
export interface TaskContext {
  config: Config;
  clients: AwsClients;
  /** Directory relative config paths (the evaluation suite) resolve against. */
  configDir: string;
  /** Milliseconds between GetModelCustomizationJob polls in the `.sync` training state. */
  trainPollMs?: number;
  log?: (line: string) => void;
}

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

/** Reads a field from an object whose keys may be camelCase (SDK) or PascalCase (Step Functions). */
export function field<T = unknown>(obj: unknown, camel: string): T | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  const o = obj as Record<string, unknown>;
  return (o[camel] ?? o[camel[0]!.toUpperCase() + camel.slice(1)]) as T | undefined;
}

/** Where Bedrock writes a customization job's outputs; the service role may write only here. */
export const JOB_OUTPUT_PREFIX = 'job-outputs/';

export const s3UriOf = (bucket: string, key: string) => `s3://${bucket}/${key}`;

export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return m ? { bucket: m[1]!, key: m[2]! } : undefined;
}
