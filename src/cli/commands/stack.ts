import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { ExitError, TunekitError } from '../../errors.ts';
import { cdkArgs, deployedOutputs, runCdk, templateOutputs } from '../../ops/cdk.ts';
import { stdoutOutput } from '../output.ts';

/** `tunekit deploy` / `tunekit destroy`: the CDK pipeline stack (src/infra/app.ts) via the aws-cdk CLI. */

interface StackFlags {
  config?: string;
  email?: string;
  yes?: boolean;
  dryRun?: boolean;
  out: string;
  json?: boolean;
}

function target(flags: StackFlags) {
  const { config, path, dir } = loadConfig({ explicitPath: flags.config });
  if (!path) {
    throw new TunekitError('CDK.NO_CONFIG', `no tunekit.config.json or .yaml in ${dir}`, {
      hint: 'run `tunekit init` first (the stack is named after "project" and uses its bucket and model)',
    });
  }
  return { stack: `Tunekit-${config.project}`, configPath: path, cwd: dir };
}

export function registerStack(program: Command): void {
  program
    .command('deploy')
    .description(
      'Deploy the fine-tuning pipeline stack to AWS with CDK (bucket, role, EventBridge, Step Functions, SNS) and show its outputs',
    )
    .option('-c, --config <file>', 'config file (default: tunekit.config.json|yaml in the current directory)')
    .option('--email <address>', 'subscribe this address to the notification topic')
    .option('-y, --yes', 'do not ask to approve IAM/security changes')
    .option('--dry-run', 'synthesize the CloudFormation template only (no AWS calls)')
    .option('--out <dir>', 'where CDK writes the synthesized app', 'cdk.out')
    .option('--json', 'print the outputs (or, with --dry-run, the template summary) as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tunekit deploy --dry-run                 # synth + cdk-nag checks, nothing deployed
  $ tunekit deploy --email me@example.com
  $ tunekit destroy --yes

Needs AWS credentials and a bootstrapped account/region (\`npx cdk bootstrap\`) for a real deploy.`,
    )
    .action(async (flags: StackFlags) => {
      const t = target(flags);
      const outDir = resolve(t.cwd, flags.out);
      const outputsFile = join(mkdtempSync(join(tmpdir(), 'tunekit-cdk-')), 'outputs.json');
      const args = cdkArgs({
        action: flags.dryRun ? 'synth' : 'deploy',
        stack: t.stack,
        configPath: t.configPath,
        email: flags.email,
        yes: flags.yes,
        outDir,
        outputsFile,
      });
      const code = await runCdk(args, flags.dryRun);
      if (code !== 0) {
        stdoutOutput.error(`cdk ${args[0]} failed (exit ${code}); its messages are above.`);
        throw new ExitError(1);
      }
      if (flags.dryRun) {
        const summary = {
          stack: t.stack,
          template: join(outDir, `${t.stack}.template.json`),
          ...templateOutputs(outDir, t.stack),
        };
        if (flags.json) return stdoutOutput.json(summary);
        stdoutOutput.line(
          `Synthesized ${summary.stack}: ${summary.resources} resources -> ${summary.template}`,
        );
        stdoutOutput.line(`Outputs after deploy: ${summary.outputs.join(', ') || '(none)'}`);
        return;
      }
      const outputs = deployedOutputs(outputsFile, t.stack);
      if (flags.json) return stdoutOutput.json({ stack: t.stack, outputs });
      for (const [k, v] of Object.entries(outputs)) stdoutOutput.line(`${k}: ${v}`);
    });

  program
    .command('destroy')
    .description('Delete the pipeline stack deployed by `tunekit deploy` (cdk destroy)')
    .option('-c, --config <file>', 'config file (default: tunekit.config.json|yaml in the current directory)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--out <dir>', 'where CDK writes the synthesized app', 'cdk.out')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit destroy\n  $ tunekit destroy --yes\n\nRun `tunekit cleanup --dry-run` afterwards: deployments and custom models are not part of the stack.',
    )
    .action(async (flags: StackFlags) => {
      const t = target(flags);
      const args = cdkArgs({
        action: 'destroy',
        stack: t.stack,
        configPath: t.configPath,
        yes: flags.yes,
        outDir: resolve(t.cwd, flags.out),
      });
      const code = await runCdk(args);
      if (code !== 0) throw new ExitError(1);
    });
}
