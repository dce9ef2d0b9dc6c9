import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { ExitError } from '../../errors.ts';
import type { CheckResult } from '../../ops/checks.ts';
import { runDoctor } from '../../ops/doctor.ts';
import { cliAwsClients } from '../aws-target.ts';
import { stdoutOutput, style } from '../output.ts';

/** `tunekit doctor`: is this account/region/config ready to fine-tune? Exit 1 when any check fails. */

const icon: Record<CheckResult['status'], string> = {
  ok: style.green('✓'),
  warn: style.yellow('!'),
  fail: style.red('✗'),
  skipped: style.dim('-'),
};

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'Check credentials, region, Bedrock access to the base model, the bucket and the service role; every failure prints its fix',
    )
    .option('-c, --config <file>', 'config file (default: tunekit.config.json|yaml in the current directory)')
    .option('--json', 'print the checks as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit doctor\n  $ eval "$(tunekit local env)" && tunekit doctor   # against the local stack\n  $ tunekit doctor --json | jq \'.checks[] | select(.status=="fail")\'',
    )
    .action(async (options: { config?: string; json?: boolean }) => {
      const { config, dir } = loadConfig({ explicitPath: options.config });
      // Few attempts: a doctor that retries for a minute before saying "no network" is no help.
      const checks = await runDoctor(config, cliAwsClients(config, dir, { maxAttempts: 2 }));
      const ok = checks.every((c) => c.status !== 'fail');
      if (options.json) stdoutOutput.json({ ok, checks });
      else {
        for (const c of checks) {
          stdoutOutput.line(`${icon[c.status]} ${style.bold(c.name)}: ${c.detail}`);
          if (c.fix) stdoutOutput.line(`    fix: ${c.fix}`);
        }
        stdoutOutput.line(
          ok ? style.green('\nReady to fine-tune.') : style.red('\nNot ready: fix the ✗ lines above.'),
        );
      }
      if (!ok) throw new ExitError(1);
    });
}
