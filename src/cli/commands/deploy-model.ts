import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { ExitError, UsageError } from '../../errors.ts';
import {
  createTaggedDeployment,
  type DeployPlan,
  planDeployment,
  undeploy,
  waitUntilReady,
} from '../../ops/deploy-model.ts';
import { cliAwsClients } from '../aws-target.ts';
import { stdoutOutput, style } from '../output.ts';

/** `tunekit deploy-model <custom-model>` and `tunekit undeploy <arn|name>`. */

const costText = (plan: DeployPlan) =>
  plan.mode === 'on-demand'
    ? 'no hourly charge (on-demand: billed per token)'
    : plan.hourlyUsd === null
      ? 'unknown per hour (the catalog has no published price for this model), billed until you undeploy'
      : `$${plan.hourlyUsd.toFixed(2)}/hour (1 model unit, no commitment), billed until you undeploy`;

/** Yes only from a person: without a TTY there is nobody to ask, so the answer is no. */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new UsageError(
      'refusing without confirmation: no terminal to ask on',
      'pass --yes to confirm non-interactively',
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

interface DeployFlags {
  config?: string;
  provisioned?: boolean;
  name?: string;
  yes?: boolean;
  wait: boolean;
  interval: string;
  json?: boolean;
}

export function registerDeployModel(program: Command): void {
  program
    .command('deploy-model')
    .description(
      'Serve a custom model: on-demand deployment (per token) or no-commit Provisioned Throughput (hourly); shows the cost, asks, waits until ready',
    )
    .argument('<custom-model>', 'custom model ARN or name (printed by `tunekit train`)')
    .option('-c, --config <file>', 'config file (default: tunekit.config.json|yaml in the current directory)')
    .option('--provisioned', 'use no-commit Provisioned Throughput (1 model unit) instead of on-demand')
    .option('--name <name>', 'deployment name (default: <project>-od|pt-<hash of the model ARN>)')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--no-wait', 'return once created, without waiting until ready')
    .option('--interval <ms>', 'how often to check readiness', '15000')
    .option('--json', 'print the deployment as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tunekit deploy-model banking-assistant-20261124-101500-ab12cd34
  $ tunekit deploy-model arn:aws:bedrock:us-east-1:123456789012:custom-model/... --provisioned --yes
  $ tunekit undeploy banking-assistant-od-1a2b3c4d

Created resources carry the tag tunekit:project=<project>; \`tunekit cleanup\` finds them.`,
    )
    .action(async (customModel: string, flags: DeployFlags) => {
      const pollMs = Number.parseInt(flags.interval, 10);
      if (!Number.isInteger(pollMs) || pollMs < 10)
        throw new UsageError(`--interval must be at least 10 (ms), got "${flags.interval}"`);
      const { config, dir } = loadConfig({ explicitPath: flags.config });
      const clients = cliAwsClients(config, dir);
      const plan = await planDeployment(config, clients, customModel, flags);
      const out = stdoutOutput;
      out.error(
        `${plan.mode === 'on-demand' ? 'On-demand deployment' : 'Provisioned Throughput'} ${style.bold(plan.name)} of ${plan.customModelName}${plan.baseModel ? ` (${plan.baseModel})` : ''}`,
      );
      out.error(`Cost: ${costText(plan)}`);
      if (!flags.yes && !(await confirm('Create it?'))) {
        out.error('Nothing was created.');
        throw new ExitError(1);
      }
      const { arn, created } = await createTaggedDeployment(config, clients, plan);
      out.error(`${created ? 'created' : 'already exists'}: ${arn}`);
      let status = 'Creating';
      if (flags.wait) {
        const timeoutMs = config.deployment.readyTimeoutMinutes * 60_000;
        const s = await waitUntilReady(clients, { mode: plan.mode, arn }, { pollMs, timeoutMs });
        status = s.detail;
        if (s.status === 'Failed') {
          out.error(style.red(`✗ ${arn} failed: ${s.failureMessage ?? 'no failure message'}`));
          out.error(`  it is still billed if it exists: tunekit undeploy ${arn}`);
          throw new ExitError(1);
        }
        if ('timedOut' in s) {
          out.error(
            style.yellow(`! still ${s.detail} after ${config.deployment.readyTimeoutMinutes} minutes`),
          );
          out.error(`  check again later, or remove it: tunekit undeploy ${arn}`);
          throw new ExitError(1);
        }
      }
      const result = { ...plan, arn, created, status };
      if (flags.json) out.json(result);
      else {
        out.line(arn);
        out.error(
          flags.wait
            ? style.green(
                `✓ ready (${status}); invoke it with modelId ${arn}; remove it with: tunekit undeploy ${plan.name}`,
              )
            : `not waiting; remove it with: tunekit undeploy ${plan.name}`,
        );
      }
    });

  program
    .command('undeploy')
    .description('Delete a custom model deployment or Provisioned Throughput (stops its billing)')
    .argument('<arn-or-name>', 'ARN, or the exact name `tunekit deploy-model` printed')
    .option('-c, --config <file>', 'config file (default: tunekit.config.json|yaml in the current directory)')
    .option('--json', 'print what was deleted as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit undeploy banking-assistant-od-1a2b3c4d\n  $ tunekit undeploy arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123',
    )
    .action(async (ref: string, flags: { config?: string; json?: boolean }) => {
      const { config, dir } = loadConfig({ explicitPath: flags.config });
      const deleted = await undeploy(cliAwsClients(config, dir), ref);
      if (flags.json) stdoutOutput.json({ deleted });
      else for (const d of deleted) stdoutOutput.line(`deleted ${d.mode} ${d.arn}`);
    });
}
