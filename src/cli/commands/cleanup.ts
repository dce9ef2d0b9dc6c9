import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { ExitError } from '../../errors.ts';
import { runCleanup } from '../../ops/cleanup.ts';
import { cliAwsClients } from '../aws-target.ts';
import { stdoutOutput, style, table } from '../output.ts';
import { confirm } from './deploy-model.ts';

/** `tunekit cleanup`: delete this project's AWS resources in the tutorial's order, then verify. */

const actionText = {
  deleted: style.green('deleted'),
  'would-delete': style.yellow('would delete'),
  kept: style.dim('kept'),
  skipped: style.dim('skipped'),
  failed: style.red('FAILED'),
};

export function registerCleanup(program: Command): void {
  program
    .command('cleanup')
    .description(
      "Delete this project's Provisioned Throughput, deployments, EventBridge rules, SNS topics and service role (plus custom models and the bucket with --all), then list anything still billable",
    )
    .option('-c, --config <file>', 'config file (default: tunekit.config.json|yaml in the current directory)')
    .option('--dry-run', 'list what would be deleted; delete nothing')
    .option('--all', 'also delete custom models and the bucket (training data, outputs, registry)')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tunekit cleanup --dry-run
  $ tunekit cleanup --yes
  $ tunekit cleanup --all --yes    # everything, including the bucket and trained models

Only resources tagged tunekit:project=<project> are touched, never ones a CloudFormation stack owns
(use \`tunekit destroy\` for the CDK stack). Exit 1 when a delete failed or something is still billable.`,
    )
    .action(
      async (flags: { config?: string; dryRun?: boolean; all?: boolean; yes?: boolean; json?: boolean }) => {
        const { config, dir } = loadConfig({ explicitPath: flags.config });
        const clients = cliAwsClients(config, dir);
        if (!flags.dryRun && !flags.yes) {
          const what = flags.all
            ? 'everything of project'
            : 'the deployments, rules, topics and role of project';
          if (!(await confirm(`Delete ${what} "${config.project}" in ${config.region}?`))) {
            stdoutOutput.error('Nothing was deleted.');
            throw new ExitError(1);
          }
        }
        const report = await runCleanup(config, clients, { dryRun: flags.dryRun, all: flags.all });
        const failed = report.entries.some((e) => e.action === 'failed');
        const billable = flags.dryRun ? [] : report.stillBillable;
        if (flags.json) stdoutOutput.json(report);
        else {
          const rows = report.entries.map((e) => [e.step, actionText[e.action], e.resource, e.message ?? '']);
          stdoutOutput.line(
            rows.length
              ? table([['STEP', 'ACTION', 'RESOURCE', ''].map((h) => style.bold(h)), ...rows])
              : 'Nothing to clean up.',
          );
          stdoutOutput.line();
          const failures = report.entries.filter((e) => e.action === 'failed').length;
          if (failures)
            stdoutOutput.line(
              style.red(
                `✗ ${failures} step(s) FAILED (see the message: AWS names the refused action); fix and run \`tunekit cleanup\` again — the others were done.`,
              ),
            );
          if (flags.dryRun) stdoutOutput.line('Dry run: nothing was deleted.');
          else if (!report.verified)
            stdoutOutput.line(
              style.red('✗ Not verified: listing what is still billable failed (see the verify step).'),
            );
          else if (billable.length === 0)
            stdoutOutput.line(style.green('✓ Verified: nothing of this project is still billable.'));
          else {
            stdoutOutput.line(style.red(`✗ Still billable (${billable.length}):`));
            for (const b of billable) stdoutOutput.line(`  ${b.kind}  ${b.arn}`);
          }
        }
        if (failed || billable.some((b) => !b.kind.startsWith('custom-model'))) throw new ExitError(1);
      },
    );
}
