import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './nag-suppressions.ts';

export interface TunekitFunctionProps {
  /** File name under src/infra/lambda/, e.g. `janitor.ts`; or an absolute path (a user's grader). */
  readonly entryFile: string;
  readonly description: string;
  readonly environment: Record<string, string>;
  readonly timeout: Duration;
  readonly memorySize: number;
  /** The entry is the user's (a grader): bundle it from its own project, see `userBundlingRoot`. */
  readonly userEntry?: boolean;
}

/** Absolute path of a Lambda entry file, resolved from this module so synth works from any cwd. */
export const lambdaEntry = (file: string) => fileURLToPath(new URL(`./lambda/${file}`, import.meta.url));

/**
 * tunekit's own lockfile and root: bundling then works whatever directory `cdk` runs from. An installed
 * package has no lockfile (npm never packs package-lock.json); CDK then finds the user's project lockfile
 * from the working directory, and that project's root holds node_modules/tunekit.
 */
const OWN_LOCK_FILE = fileURLToPath(new URL('../../package-lock.json', import.meta.url));
const OWN_ROOT = existsSync(OWN_LOCK_FILE)
  ? { projectRoot: fileURLToPath(new URL('../../', import.meta.url)), depsLockFilePath: OWN_LOCK_FILE }
  : {};

const LOCK_FILES = ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb'];

/**
 * Where CDK bundles a user's file from: the npm project it lives in (the nearest lockfile above it). CDK
 * wants the entry and the lockfile under `projectRoot` and runs esbuild from there, so the project must
 * have its packages installed (`npm install tunekit` gives it both).
 */
export function userBundlingRoot(entry: string): { projectRoot: string; depsLockFilePath: string } {
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    const lock = LOCK_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
    if (lock) return { projectRoot: dir, depsLockFilePath: lock };
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    `${entry} is not inside an npm project (no ${LOCK_FILES.join(', ')} in its folder or above): CDK bundles it from its project. Run \`npm install tunekit\` in the project (it writes package-lock.json and installs esbuild), then synth again.`,
  );
}

/**
 * One Lambda function the way every tunekit function is built: Node.js 24 on Graviton (ARM, cheaper per
 * ms), X-Ray active, its own log group with a retention, bundled by esbuild from node_modules (no Docker).
 */
export class TunekitFunction extends Construct {
  readonly function: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: TunekitFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description.slice(0, 1000),
    });
    logGroup.grantWrite(role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      role,
      entry: isAbsolute(props.entryFile) ? props.entryFile : lambdaEntry(props.entryFile),
      ...(props.userEntry ? userBundlingRoot(props.entryFile) : OWN_ROOT),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        forceDockerBundling: false,
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        sourceMap: true,
        minify: true,
        // Bundle the SDK rather than use the runtime's copy: the pipeline needs Bedrock operations
        // (custom model deployments) newer than the SDK a Lambda runtime may ship, and pinned versions.
        externalModules: [],
        // ESM output still meets CommonJS dependencies that call require().
        banner:
          "import { createRequire as __tunekitCreateRequire } from 'node:module'; const require = __tunekitCreateRequire(import.meta.url);",
      },
    });
    acknowledge(
      role,
      ['AwsSolutions-IAM5[Resource::*]'],
      'X-Ray PutTraceSegments/PutTelemetryRecords (added by tracing: ACTIVE) support no resource-level permissions',
    );
  }
}
