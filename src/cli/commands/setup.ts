import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { runSetup } from '../../ops/setup.ts';
import { cliAwsClients } from '../aws-target.ts';
import { stdoutOutput, style } from '../output.ts';

/** `tunekit setup`: bucket + Bedrock service role without CDK (the tutorial's Lab 1, by hand). */
export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description(
      'Create (or repair) the S3 bucket and the least-privilege Bedrock service role, without CDK; safe to run again',
    )
    .option('-c, --config <file>', 'config file (default: tunekit.config.json|yaml in the current directory)')
    .option('--role-name <name>', 'role name (default: the one in "roleArn", else tunekit-<project>-bedrock)')
    .option('--json', 'print the bucket, role ARN and steps as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tunekit setup
  $ tunekit setup --role-name BedrockFineTuningRole --json

The role trusts bedrock.amazonaws.com only for this account's customization jobs (aws:SourceAccount,
aws:SourceArn), may read <data.prefix> and manual-uploads/, and write job-outputs/. For the full
pipeline (EventBridge, Step Functions, notifications) use \`tunekit deploy\` instead.`,
    )
    .action(async (flags: { config?: string; roleName?: string; json?: boolean }) => {
      const { config, path, dir } = loadConfig({ explicitPath: flags.config });
      const result = await runSetup(config, cliAwsClients(config, dir), flags);
      if (flags.json) return stdoutOutput.json(result);
      for (const s of result.steps) {
        const mark = s.action === 'skipped' ? style.dim('-') : style.green('✓');
        stdoutOutput.line(`${mark} ${s.resource}: ${s.action}${s.detail ? ` (${s.detail})` : ''}`);
      }
      if (result.roleArn && result.roleArn !== config.roleArn) {
        stdoutOutput.line(
          `\nSet "roleArn": "${result.roleArn}" in ${path ?? 'tunekit.config.json'}, then run \`tunekit doctor\`.`,
        );
      }
    });
}
