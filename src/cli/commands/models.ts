import type { Command } from 'commander';
import { CATALOG } from '../../models/catalog.ts';
import { supportedMethods } from '../../models/methods.ts';
import type { ModelSpec, Price } from '../../models/schema.ts';
import { TEACHERS } from '../../models/teachers.ts';
import { stdoutOutput, style, table } from '../output.ts';

export function registerModels(program: Command): void {
  program
    .command('models')
    .description('List the Bedrock base models tunekit can fine-tune, with data format, limits and prices')
    .option('--json', 'print the whole catalog as JSON (hyperparameters, limits, prices with sources)')
    .addHelpText(
      'after',
      "\nExamples:\n  $ tunekit models\n  $ tunekit models --json | jq '.[] | select(.onDemandDeployment)'",
    )
    .action((options: { json?: boolean }) => {
      if (options.json) return stdoutOutput.json(CATALOG);
      stdoutOutput.line(renderModelTable(CATALOG));
    });
}

const money = (p: Price) => (p.usd === null ? style.dim('unknown') : `$${p.usd}`);

export function renderModelTable(models: readonly ModelSpec[]): string {
  const header = ['MODEL ID', 'METHODS', 'FORMAT', 'RECORDS', 'ON-DEMAND', 'TRAIN/1K TOK', 'STATUS'].map(
    (h) => style.bold(h),
  );
  const rows = models.map((m) => [
    m.id,
    // customization.method values this model takes (distillation: as the student).
    supportedMethods(m).join(',') || '-',
    m.format,
    `${m.limits.minRecords ?? '?'}–${m.limits.maxRecords ?? '?'}`,
    m.onDemandDeployment ? 'yes' : 'no (PT)',
    money(m.prices.trainingPer1kTokens),
    m.lifecycle === 'ACTIVE'
      ? style.green('active')
      : style.yellow(m.lifecycle.toLowerCase().replaceAll('_', '-')),
  ]);
  const teachers = TEACHERS.map((t) => `${t.id} (teaches ${t.students.join(', ')})`).join('; ');
  return `${table([header, ...rows])}\n\nDefault: amazon.nova-micro-v1:0:128k. "unknown": no source states the price; see --json for sources.\nRECORDS are fine-tuning's. Distillation teachers: ${teachers}. See docs/methods.md.`;
}
