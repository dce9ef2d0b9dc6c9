import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import * as dataset from '../../src/dataset/index.ts';
import { inProcessTrainer } from '../../src/local/bedrock/index.ts';
import { type LocalStack, startLocalStack } from '../../src/local/stack.ts';
import { tempDir } from './helpers/cli.ts';
import { memorisingEngine } from './helpers/local-doubles.ts';

/**
 * The local stack in-process for the ops command tests (doctor, train, deploy-model, cleanup): fast
 * training (memorising engine), quick provisioning, a project dir with a config naming the bucket.
 */
export interface OpsStack {
  stack: LocalStack;
  dir: string;
  env: Record<string, string>;
  s3: S3Client;
  /** Bedrock of the local stack, to arrange and inspect what the commands under test see. */
  bedrock: BedrockClient;
  logs: string[];
}

export const ROLE = 'arn:aws:iam::000000000000:role/BedrockFineTuningRole';

export async function startOpsStack(
  options: {
    bucket?: string;
    createBucket?: boolean;
    config?: Record<string, unknown>;
    maxConcurrentJobs?: number;
    stepDelayMs?: number;
    /** Accept any key pair (a test whose CLI signs every service with another endpoint's keys). */
    insecureAnyCredentials?: boolean;
  } = {},
): Promise<OpsStack> {
  const logs: string[] = [];
  const engine = memorisingEngine({ stepDelayMs: options.stepDelayMs ?? 5 });
  const stack = await startLocalStack({
    port: 0,
    dataDir: tempDir(),
    provisioningDelayMs: 300,
    stateFile: false,
    maxConcurrentJobs: options.maxConcurrentJobs ?? 2,
    insecureAnyCredentials: options.insecureAnyCredentials ?? false,
    overrides: { engine, trainer: inProcessTrainer(engine, dataset) },
    log: (line) => logs.push(line),
  });
  const bucket = options.bucket ?? 'tunekit-ops';
  const dir = tempDir();
  writeFileSync(
    join(dir, 'tunekit.config.json'),
    JSON.stringify({ project: 'ops', bucket, roleArn: ROLE, ...options.config }),
  );
  const client = {
    region: 'us-east-1',
    endpoint: stack.endpoint,
    credentials: stack.credentials,
  };
  const s3 = new S3Client({ ...client, forcePathStyle: true });
  const bedrock = new BedrockClient(client);
  if (options.createBucket !== false) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return { stack, dir, env: { ...stack.env, NODE_NO_WARNINGS: '1' }, s3, bedrock, logs };
}

/**
 * Runs the CLI in this process (same `main` as bin/tunekit.mjs, same exit codes and output) so the ops
 * suites stay fast: a child process costs ~1.5 s of TypeScript loading per command on this machine.
 * Not re-entrant: one command at a time (vitest runs a file's tests sequentially).
 */
export async function runInProcess(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../src/cli/program.ts');
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  const savedExitCode = process.exitCode;
  const out = { stdout: '', stderr: '' };
  const capture = (key: 'stdout' | 'stderr') => (chunk: unknown) => {
    out[key] += String(chunk);
    return true;
  };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  Object.assign(process.env, options.env ?? {});
  process.chdir(options.cwd);
  process.stdout.write = capture('stdout') as typeof process.stdout.write;
  process.stderr.write = capture('stderr') as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, ...out };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    process.chdir(savedCwd);
    process.exitCode = savedExitCode;
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }
}
