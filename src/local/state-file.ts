import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from './atomic-write.ts';
import type { StackCredentials } from './auth/stack-credentials.ts';

/**
 * `<dataDir>/stack.json`: how `tunekit local env|status|stop` and every CLI command find the stack started
 * with the same --data-dir. Written once the server answers (0600: it holds the key pair); removed on a
 * clean stop.
 */
export interface StackStateFile {
  pid: number;
  port: number;
  endpoint: string;
  region: string;
  dataDir: string;
  startedAt: string;
  services: string[];
  /** The key pair the stack accepts (see auth/stack-credentials.ts). */
  accessKeyId: string;
  secretAccessKey: string;
  /** Started with --insecure-any-credentials: any key pair is accepted. */
  insecureAnyCredentials?: boolean;
}

export const stateFilePath = (dataDir: string) => join(dataDir, 'stack.json');

export function readStateFile(dataDir: string): StackStateFile | undefined {
  try {
    return JSON.parse(readFileSync(stateFilePath(dataDir), 'utf8')) as StackStateFile;
  } catch {
    return undefined;
  }
}

export const writeStateFile = (state: StackStateFile) =>
  writeJsonAtomic(stateFilePath(state.dataDir), state, 0o600);

/** Removes the file only if it still describes this process (a newer stack may have replaced it). */
export function removeStateFile(dataDir: string, pid: number): void {
  const current = readStateFile(dataDir);
  if (current && current.pid === pid) rmSync(stateFilePath(dataDir), { force: true });
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The environment that points unmodified AWS SDKs, boto3 and the AWS CLI at the stack. */
export function stackEnv(
  endpoint: string,
  region: string,
  services: string[],
  credentials: StackCredentials,
): Record<string, string> {
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ENDPOINT_URL_BEDROCK: endpoint,
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: endpoint,
  };
  // boto3, the AWS CLI and SDK v3 name these variables after each service's id (STS, IAM, EventBridge, SNS).
  const optional: [service: string, variable: string][] = [
    ['states', 'AWS_ENDPOINT_URL_SFN'],
    ['sts', 'AWS_ENDPOINT_URL_STS'],
    ['iam', 'AWS_ENDPOINT_URL_IAM'],
    ['events', 'AWS_ENDPOINT_URL_EVENTBRIDGE'],
    ['sns', 'AWS_ENDPOINT_URL_SNS'],
  ];
  for (const [service, variable] of optional) if (services.includes(service)) env[variable] = endpoint;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    // No instance metadata lookups (slow timeouts) when a profile is missing.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
