import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import {
  computeManifest,
  computeStats,
  convertDataset,
  type DatasetFormat,
  DatasetFormatSchema,
  estimateCost,
  splitDataset,
  validateDataset,
} from '../../dataset/index.ts';
import { ExitError, UsageError } from '../../errors.ts';
import { findModel } from '../../models/catalog.ts';
import { PRICING_PAGE } from '../../models/catalog-data.ts';
import { stdoutOutput as out } from '../output.ts';
import { renderConvert, renderEstimate, renderStats, renderValidation } from './data-render.ts';

/** --model, else the project's config `baseModel`, else the catalog default. */
function resolveModel(flag: string | undefined): string {
  const id = flag ?? loadConfig().config.baseModel;
  const model = findModel(id);
  if (!model)
    throw new UsageError(
      `unknown model "${id}"`,
      'run `tunekit models` for the ids and aliases (e.g. nova-micro)',
    );
  return model.id;
}

function positiveInt(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1)
      throw new UsageError(`${name} must be a positive integer, got "${value}"`);
    return Number(value);
  };
}

/** A price in USD: a plain decimal such as 0.001 (no currency sign, not negative). */
function nonNegativeNumber(name: string) {
  return (value: string): number => {
    if (!/^\d+(\.\d+)?$/.test(value.trim()))
      throw new UsageError(
        `${name} must be a price in USD such as 0.001, got "${value}"`,
        'leave out the $ sign',
      );
    return Number(value);
  };
}

function format(value: string): DatasetFormat {
  const parsed = DatasetFormatSchema.safeParse(value);
  if (!parsed.success)
    throw new UsageError(
      `unknown format "${value}"`,
      `use one of: ${DatasetFormatSchema.options.join(', ')}`,
    );
  return parsed.data;
}

/** A one-line progress display on a terminal (stderr) for big files; nothing when piped. */
function progressLine(file: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (total < 32e6 || (now - last < 200 && done < total)) return;
    last = now;
    const pct = Math.floor((done / total) * 100);
    process.stderr.write(
      `\r${file}: validating ${pct}% (${Math.round(done / 1e6)} of ${Math.round(total / 1e6)} MB)${done >= total ? '\n' : ''}`,
    );
  };
}

const MODEL_HELP =
  'base model id or alias (default: baseModel from tunekit.config, else amazon.nova-micro-v1:0:128k)';

export function registerData(program: Command): void {
  const data = program
    .command('data')
    .description('Check, measure, price, split, convert and fingerprint JSONL training data')
    .addHelpText(
      'after',
      `
Examples:
  $ tunekit data validate data/train.jsonl
  $ tunekit data convert training_data.jsonl --to bedrock-conversation-2024
  $ tunekit data estimate data/train.jsonl --epochs 3
See docs/dataset.md for every check and its code.`,
    );

  data
    .command('validate')
    .description(
      'Check a JSONL file against everything Bedrock enforces for the model; list every problem with its fix',
    )
    .argument('<file>', 'JSONL training or validation file')
    .option('-m, --model <id>', MODEL_HELP)
    .option('--role <role>', 'training or validation (record limits differ)', 'training')
    .option(
      '--max-errors <n>',
      'errors (and warnings) to list; totals are always counted',
      positiveInt('--max-errors'),
      50,
    )
    .option('--json', 'print {valid, format, model, records, errors, warnings, stats} as JSON')
    .addHelpText(
      'after',
      `
Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage error.
Set TUNEKIT_REPORT_RSS=1 to print the process's peak memory to stderr (used by npm run bench:validate).

Examples:
  $ tunekit data validate data/train.jsonl
  $ tunekit data validate training_data.jsonl --model amazon.titan-text-express-v1
  $ tunekit data validate data/val.jsonl --role validation --json | jq '.errors[0]'`,
    )
    .action(async (file: string, o: { model?: string; role: string; maxErrors: number; json?: boolean }) => {
      if (o.role !== 'training' && o.role !== 'validation')
        throw new UsageError(`--role must be training or validation, got "${o.role}"`);
      const report = await validateDataset(
        { path: file },
        {
          model: resolveModel(o.model),
          role: o.role,
          maxIssues: o.maxErrors,
          onProgress: progressLine(file),
        },
      );
      if (o.json) out.json(report);
      else out.line(renderValidation(file, report));
      if (process.env.TUNEKIT_REPORT_RSS) out.error(`peak-rss-kb=${process.resourceUsage().maxRSS}`);
      if (!report.valid) throw new ExitError(1);
    });

  data
    .command('stats')
    .description(
      'Records, characters, estimated tokens, length percentiles, duplicates and the longest records',
    )
    .argument('<file>', 'JSONL file')
    .option('--json', 'print the statistics as JSON')
    .addHelpText(
      'after',
      '\nTokens are estimated as characters / 6 (Bedrock guidance).\n\nExamples:\n  $ tunekit data stats data/train.jsonl\n  $ tunekit data stats data/train.jsonl --json | jq .tokensPerRecord',
    )
    .action(async (file: string, o: { json?: boolean }) => {
      const stats = await computeStats({ path: file });
      if (o.json) out.json(stats);
      else out.line(renderStats(file, stats));
    });

  data
    .command('estimate')
    .description(
      'Price a fine-tuning run: training tokens x epochs, storage, and inference — each price with its source',
    )
    .argument('<file>', 'JSONL training file')
    .option('-m, --model <id>', MODEL_HELP)
    .option('--epochs <n>', "epochs (default: the model's default epochCount)", positiveInt('--epochs'))
    .option(
      '--training-price <usd>',
      'USD per 1,000 training tokens, for a model whose price tunekit does not have',
      nonNegativeNumber('--training-price'),
    )
    .option(
      '--storage-price <usd>',
      'USD per custom model per month, for a model whose price tunekit does not have',
      nonNegativeNumber('--storage-price'),
    )
    .option('--json', 'print the estimate as JSON')
    .addHelpText(
      'after',
      `\nEvery price names its source and date. A price tunekit has no source for is shown as unknown, never\nguessed: read it on ${PRICING_PAGE} and pass it with --training-price / --storage-price.\n\nExamples:\n  $ tunekit data estimate data/train.jsonl\n  $ tunekit data estimate data/train.jsonl --training-price 0.001 --storage-price 1.95\n  $ tunekit data estimate training_data.jsonl --model titan-text-express --epochs 3`,
    )
    .action(
      async (
        file: string,
        o: { model?: string; epochs?: number; trainingPrice?: number; storagePrice?: number; json?: boolean },
      ) => {
        const estimate = await estimateCost(
          { path: file },
          {
            model: resolveModel(o.model),
            epochs: o.epochs,
            prices: { trainingPer1kTokens: o.trainingPrice, storagePerModelMonth: o.storagePrice },
          },
        );
        if (o.json) out.json(estimate);
        else out.line(renderEstimate(file, estimate));
      },
    );

  data
    .command('split')
    .description(
      'Split into <name>.train.jsonl and <name>.validation.jsonl, deterministically and without leakage',
    )
    .argument('<file>', 'JSONL file')
    .requiredOption('--validation <fraction>', 'share of records for validation, e.g. 0.1', Number)
    .option('--seed <n>', 'seed: the same seed gives the same split', Number, 42)
    .option('--out-dir <dir>', 'where to write (default: next to the input)')
    .option('--force', 'overwrite existing output files')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nIdentical records always land on the same side, so validation never contains a training record.\nThe validation share is close to, not exactly, the fraction.\n\nExamples:\n  $ tunekit data split data/all.jsonl --validation 0.1 --seed 7\n  $ tunekit data split data/all.jsonl --validation 0.2 --out-dir data/split',
    )
    .action(
      async (
        file: string,
        o: { validation: number; seed: number; outDir?: string; force?: boolean; json?: boolean },
      ) => {
        const result = await splitDataset(file, {
          fraction: o.validation,
          seed: o.seed,
          outDir: o.outDir,
          force: o.force,
        });
        if (o.json) return out.json(result);
        out.line(`wrote ${result.train.path} (${result.train.records} records)`);
        out.line(`wrote ${result.validation.path} (${result.validation.records} records)`);
        for (const w of result.warnings) out.error(`warning: ${w}`);
      },
    );

  data
    .command('convert')
    .description(
      'Convert between prompt-completion, bedrock-conversation-2024 and claude-messages; refuses lossy conversions',
    )
    .argument('<file>', 'JSONL file')
    .requiredOption('--to <format>', `target format: ${DatasetFormatSchema.options.join(', ')}`, format)
    .option('--from <format>', 'source format (default: detected per record)', format)
    .option('-o, --out <file>', 'output file (default: <name>.<format>.jsonl next to the input)')
    .option('--force', 'overwrite the output file')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nAll or nothing: if any line cannot be converted faithfully nothing is written and each such line is listed.\n\nExamples:\n  $ tunekit data convert training_data.jsonl --to bedrock-conversation-2024\n  $ tunekit data convert train.jsonl --to claude-messages -o claude.jsonl',
    )
    .action(
      async (
        file: string,
        o: { to: DatasetFormat; from?: DatasetFormat; out?: string; force?: boolean; json?: boolean },
      ) => {
        const result = await convertDataset(file, { to: o.to, from: o.from, out: o.out, force: o.force });
        if (o.json) out.json(result);
        else out.line(renderConvert(file, result));
        if (result.refusedCount > 0) throw new ExitError(1);
      },
    );

  data
    .command('manifest')
    .description(
      'Fingerprint a dataset: sha256, bytes, records, estimated tokens and format (for registry lineage)',
    )
    .argument('<file>', 'JSONL file')
    .option('--json', 'print the manifest as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit data manifest data/train.jsonl\n  $ tunekit data manifest data/train.jsonl --json > train.manifest.json',
    )
    .action(async (file: string, o: { json?: boolean }) => {
      const m = await computeManifest({ path: file });
      if (o.json) return out.json(m);
      for (const [k, v] of Object.entries(m)) out.line(`${k.padEnd(16)}${v}`);
    });
}
