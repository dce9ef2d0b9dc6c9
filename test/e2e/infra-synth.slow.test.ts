import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateCustomModelDeploymentCommand,
  CreateProvisionedModelThroughputCommand,
  ListProvisionedModelThroughputsCommand,
} from '@aws-sdk/client-bedrock';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients.ts';
import { TUNEKIT_PROJECT_TAG } from '../../src/bedrock/index.ts';
import { evaluationDeploymentName } from '../../src/bedrock/names.ts';
import { buildApp } from '../../src/infra/app.ts';
import type { LocalStack } from '../../src/local/stack.ts';
import { SAMPLES } from '../../src/samples.ts';
import { REPO_ROOT, tempDir } from './helpers/cli.ts';
import { SEEDED_MODEL_ARN, startSeededStack } from './infra-stack.ts';

/**
 * The deployable app as `cdk synth` builds it: real esbuild bundles (offline, from node_modules, no
 * Docker), CDK's own template validation on, cdk-nag as a validation plugin (a finding fails synth), and
 * cfn-lint (the machine's Python) on the template.
 */
let outdir: string;
let templatePath: string;

beforeAll(() => {
  outdir = tempDir();
  // A config with a schedule, so the retrain function is bundled too.
  const configDir = tempDir({
    'tunekit.config.json': JSON.stringify({ project: 'bank', schedule: '0 3 * * 1' }),
  });
  const { app } = buildApp(
    new App({
      outdir,
      context: {
        config: join(configDir, 'tunekit.config.json'),
        '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
      },
    }),
  );
  // THEN synth succeeds: cdk-nag throws ValidationFailed on any unacknowledged finding
  app.synth();
  templatePath = join(outdir, 'Tunekit-bank.template.json');
}, 300_000);

type Resource = { Type: string; Properties: Record<string, unknown> };

const execFileAsync = promisify(execFile);

/** The bundle directory of the function whose environment has `key=value`. */
function bundleOf(key: string, value: string): string {
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources: Record<string, Resource> };
  const fn = Object.values(template.Resources).find(
    (r) =>
      r.Type === 'AWS::Lambda::Function' &&
      (r.Properties.Environment as { Variables?: Record<string, string> } | undefined)?.Variables?.[key] ===
        value,
  );
  const zip = (fn?.Properties.Code as { S3Key: string } | undefined)?.S3Key;
  if (!zip) throw new Error(`no function with ${key}=${value}`);
  return join(outdir, `asset.${zip.replace(/\.zip$/, '')}`, 'index.mjs');
}

/**
 * Invokes a bundled handler in a fresh Node process, as the Lambda runtime would import it. Asynchronously:
 * the local stack it talks to is served from this very process.
 */
async function invokeBundle(bundle: string, event: unknown, env: Record<string, string>): Promise<unknown> {
  const script = `const m = await import(${JSON.stringify(bundle)}); console.log(JSON.stringify(await m.handler(${JSON.stringify(event)})));`;
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('tunekit CDK app synth', () => {
  it('bundles every Lambda into an ES module that loads and exports handler', () => {
    const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    // one bundle for the task handlers (shared entry), one each for the janitor, the retrain schedule and
    // the upload starter
    expect(assets.filter((asset) => existsSync(join(outdir, asset, 'index.mjs')))).toHaveLength(4);
    for (const asset of assets) {
      const bundle = join(outdir, asset, 'index.mjs');
      if (!existsSync(bundle)) continue; // not a Lambda bundle (e.g. CDK's own handler)
      const out = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(bundle)}); console.log(typeof m.handler);`,
        ],
        { encoding: 'utf8', env: { ...process.env, AWS_REGION: 'us-east-1' } },
      );
      expect(out.trim(), bundle).toBe('function');
    }
  });

  it('a project without a suite deploys a pipeline that evaluates on held-out data, with no suite to upload', () => {
    const template = JSON.parse(readFileSync(templatePath, 'utf8')) as {
      Resources: Record<string, Resource>;
      Outputs: Record<string, unknown>;
    };
    const tasks = Object.values(template.Resources).filter(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        (r.Properties.Environment as { Variables?: Record<string, string> } | undefined)?.Variables
          ?.TUNEKIT_TASK,
    );
    expect(tasks.length).toBeGreaterThan(5);
    for (const fn of tasks) {
      const vars = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
      expect(vars.TUNEKIT_EVALUATION).toBe('held-out');
      expect(vars.TUNEKIT_SUITE_URI).toBeUndefined();
    }
    expect(Object.keys(template.Outputs).some((k) => k.startsWith('UploadSuiteCommand'))).toBe(false);
  });

  it('passes cfn-lint with no errors', () => {
    const run = spawnSync('cfn-lint', ['--format', 'json', templatePath], { encoding: 'utf8' });
    expect(run.error, 'cfn-lint must be installed (pip install cfn-lint)').toBeUndefined();
    const findings = JSON.parse(run.stdout || '[]') as {
      Level: string;
      Rule: { Id: string };
      Message: string;
    }[];
    // No error is filtered out: a real account's deploy must not depend on cfn-lint being wrong.
    const errors = findings.filter((f) => f.Level === 'Error');
    expect(errors.map((f) => `${f.Rule.Id} ${f.Message}`)).toEqual([]);
  });

  it('deploys the definition the local runner executes', () => {
    const template = JSON.parse(readFileSync(templatePath, 'utf8'));
    const machines = Object.values(template.Resources).filter(
      (r) => (r as { Type: string }).Type === 'AWS::StepFunctions::StateMachine',
    ) as { Properties: { DefinitionString: string } }[];
    expect(machines).toHaveLength(1);
    expect(JSON.parse(machines[0]!.Properties.DefinitionString).StartAt).toBe('InitRun');
  });
});

describe('bundled Lambdas against the local Bedrock', () => {
  let local: LocalStack;
  const MODEL_ARN = SEEDED_MODEL_ARN;

  beforeAll(async () => {
    local = await startSeededStack();
    // The test's own SDK clients use the stack's dummy credentials too.
    Object.assign(process.env, local.env);
  });
  const savedEnv = { ...process.env };
  afterAll(async () => {
    await local?.stop();
    process.env = savedEnv;
  });

  it("the Teardown task Lambda deletes its execution's evaluation deployment", async () => {
    // GIVEN the evaluation deployment a pipeline execution created
    const executionArn = 'arn:aws:states:us-east-1:000000000000:execution:bank-pipeline:run-1';
    const name = evaluationDeploymentName('bank', executionArn);
    const { bedrock } = createAwsClients({ endpoints: { bedrock: local.endpoint }, maxAttempts: 1 });
    const created = await bedrock.send(
      new CreateCustomModelDeploymentCommand({ modelDeploymentName: name, modelArn: MODEL_ARN }),
    );
    // WHEN the bundled task Lambda runs as Teardown, configured only by the environment the stack sets
    const result = await invokeBundle(
      bundleOf('TUNEKIT_TASK', 'teardown'),
      { executionArn, deployment: null },
      {
        ...local.env,
        TUNEKIT_TASK: 'teardown',
        TUNEKIT_PROJECT: 'bank',
        TUNEKIT_BUCKET: 'bank-bucket',
        TUNEKIT_BEDROCK_ROLE_ARN: 'arn:aws:iam::000000000000:role/job',
        TUNEKIT_TRAINING_PREFIX: 'training-data/',
        TUNEKIT_TRAINING_SUFFIX: '.jsonl',
        TUNEKIT_REGISTRY_PREFIX: 'models/',
        TUNEKIT_SUITE_URI: 's3://bank-bucket/eval/suite.json',
        TUNEKIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:topic',
      },
    );
    // THEN it reports and performs the delete
    expect(result).toEqual({ deleted: [{ mode: 'on-demand', arn: created.customModelDeploymentArn }] });
  });

  it('the janitor Lambda sweeps old tagged Provisioned Throughput', async () => {
    const { bedrock } = createAwsClients({ endpoints: { bedrock: local.endpoint }, maxAttempts: 1 });
    await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: 'bank-forgotten',
        modelId: MODEL_ARN,
        modelUnits: 1,
        tags: [{ key: TUNEKIT_PROJECT_TAG, value: 'bank' }],
      }),
    );
    // The janitor also reads the registry (rejected models past retention): an empty one here.
    const { s3 } = createAwsClients({ endpoints: { s3: local.endpoint }, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'bank-bucket' })).catch(() => undefined);
    const report = await invokeBundle(bundleOf('TUNEKIT_JANITOR_MAX_AGE_MINUTES', '360'), undefined, {
      ...local.env,
      TUNEKIT_PROJECT: 'bank',
      TUNEKIT_JANITOR_MAX_AGE_MINUTES: '0',
      TUNEKIT_BUCKET: 'bank-bucket',
      TUNEKIT_BEDROCK_ROLE_ARN: 'arn:aws:iam::000000000000:role/job',
      TUNEKIT_TRAINING_PREFIX: 'training-data/',
      TUNEKIT_TRAINING_SUFFIX: '.jsonl',
      TUNEKIT_REGISTRY_PREFIX: 'models/',
      TUNEKIT_SUITE_URI: 's3://bank-bucket/eval/suite.json',
      TUNEKIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:topic',
    });
    expect(report).toMatchObject({ deleted: 1, failed: 0, rejectedModels: [] });
    const left = await bedrock.send(new ListProvisionedModelThroughputsCommand({}));
    expect(left.provisionedModelSummaries ?? []).toEqual([]);
  });
});

describe('a reinforcement project: the grader deployed as a Lambda', () => {
  it('synthesizes with the grader bundled from the project, and the bundle grades a Bedrock grader event', async () => {
    // GIVEN a project from `tunekit init --method reinforcement` (its config and graders/grader.mjs)
    const project = tempDir({
      'tunekit.config.json': JSON.stringify({
        project: 'rft',
        baseModel: 'amazon.nova-2-lite-v1:0:256k',
        customization: { method: 'reinforcement', reinforcement: { grader: 'graders/grader.mjs' } },
      }),
      'graders/grader.mjs': readFileSync(SAMPLES.reinforcementGrader),
      // `npm install tunekit` gave the project a lockfile and node_modules (with esbuild, which CDK runs).
      'package-lock.json': '{"lockfileVersion": 3, "packages": {}}',
    });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(project, 'node_modules'));
    const out = tempDir();
    // WHEN the app synthesizes it (real esbuild bundling, cdk-nag as a validation plugin)
    const { app } = buildApp(
      new App({
        outdir: out,
        context: {
          config: join(project, 'tunekit.config.json'),
          '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
        },
      }),
    );
    app.synth();
    const template = JSON.parse(readFileSync(join(out, 'Tunekit-rft.template.json'), 'utf8')) as {
      Resources: Record<string, Resource>;
    };
    const [id, grader] = Object.entries(template.Resources).find(
      ([, r]) =>
        r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description).includes('reward function'),
    )!;
    // THEN the state machine names the grader, and its bundle answers Bedrock's grader event
    const machine = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::StepFunctions::StateMachine',
    )!;
    expect(JSON.stringify(machine.Properties.DefinitionSubstitutions)).toContain(id);
    const zip = (grader.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
    const bundle = join(out, `asset.${zip}`, 'index.mjs');
    const event = [
      {
        id: 'a',
        messages: [
          { role: 'user', content: 'What is the fee?' },
          { role: 'assistant', content: 'The fee is 5 euros.' },
        ],
        metadata: { reference_answer: { answer: '5 euros' } },
      },
    ];
    const scored = (await invokeBundle(bundle, event, {})) as {
      id: string;
      aggregate_reward_score: number;
    }[];
    expect(scored).toMatchObject([{ id: 'a', aggregate_reward_score: 1 }]);
    // cfn-lint finds no error in it either
    const lint = spawnSync('cfn-lint', ['--format', 'json', join(out, 'Tunekit-rft.template.json')], {
      encoding: 'utf8',
    });
    const findings = JSON.parse(lint.stdout || '[]') as {
      Level: string;
      Rule: { Id: string };
      Message: string;
    }[];
    expect(findings.filter((f) => f.Level === 'Error').map((f) => `${f.Rule.Id} ${f.Message}`)).toEqual([]);
  }, 300_000);
});
