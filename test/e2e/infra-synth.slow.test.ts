import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/infra/app.ts';
import { tempDir } from './helpers/cli.ts';

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

describe('tunekit CDK app synth', () => {
  it('bundles every Lambda into an ES module that loads and exports handler', () => {
    const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    // one bundle for the task handlers (shared entry), one each for the janitor and the retrain schedule
    expect(assets.filter((asset) => existsSync(join(outdir, asset, 'index.mjs')))).toHaveLength(3);
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

  it('passes cfn-lint with no errors', () => {
    const run = spawnSync('cfn-lint', ['--format', 'json', templatePath], { encoding: 'utf8' });
    expect(run.error, 'cfn-lint must be installed (pip install cfn-lint)').toBeUndefined();
    const findings = JSON.parse(run.stdout || '[]') as {
      Level: string;
      Rule: { Id: string };
      Message: string;
    }[];
    const errors = findings
      .filter((f) => f.Level === 'Error')
      // cfn-lint's ASL schema rejects OutputPath on a Succeed state, which the States Language spec
      // allows (Succeed supports InputPath and OutputPath); Step Functions validates the definition itself.
      .filter((f) => !(f.Rule.Id === 'E3601' && f.Message.includes("'OutputPath' was unexpected")));
    expect(errors.map((f) => `${f.Rule.Id} ${f.Message}`)).toEqual([]);
  });

  it('deploys the definition the local runner executes', () => {
    const template = JSON.parse(readFileSync(templatePath, 'utf8'));
    const machines = Object.values(template.Resources).filter(
      (r) => (r as { Type: string }).Type === 'AWS::StepFunctions::StateMachine',
    ) as { Properties: { DefinitionString: string } }[];
    expect(machines).toHaveLength(1);
    expect(JSON.parse(machines[0]!.Properties.DefinitionString).StartAt).toBe('ValidateTrainingData');
  });
});
