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

/** Reads a field from an object whose keys may be camelCase (SDK) or PascalCase (Step Functions). */
export function field<T = unknown>(obj: unknown, camel: string): T | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  const o = obj as Record<string, unknown>;
  return (o[camel] ?? o[camel[0]!.toUpperCase() + camel.slice(1)]) as T | undefined;
}

export const s3UriOf = (bucket: string, key: string) => `s3://${bucket}/${key}`;

export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return m ? { bucket: m[1]!, key: m[2]! } : undefined;
}
