import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import {
  computeManifest,
  computeStats,
  convertDataset,
  convertInvocationLogs,
  type DatasetFormat,
  DatasetFormatSchema,
  distillationJsonl,
  estimateMethodCost,
  readInvocationLogEntries,
  selectTrainingRecords,
  splitDataset,
  validateDataset,
  validateInvocationLogs,
} from '../../dataset/index.ts';
import { ExitError, UsageError } from '../../errors.ts';
import { CATALOG, findModel } from '../../models/catalog.ts';
import { PRICING_PAGE } from '../../models/catalog-data.ts';
import { checkMethod, METHODS, type Method } from '../../models/methods.ts';
import { stdoutOutput as out } from '../output.ts';
import {
  type InvocationLogFlags,
  invocationLogSelection,
  looksLikeInvocationLogs,
  readLogFiles,
  requireDistillation,
} from './data-invocation-logs.ts';
import { renderConvert, renderEstimate, renderStats, renderValidation } from './data-render.ts';

const METHOD_HELP = `customization method: ${METHODS.join(', ')} (default: customization.method from tunekit.config, else fine-tuning)`;

/**
 * --method, else the config's customization.method; checked against the model (the catalog's one check),
 * so `--method reinforcement` on a model without it names the models that have it.
 */
function resolveMethod(flag: string | undefined, model: string): Method {
  const value = flag ?? loadConfig().config.customization.method;
  if (!(METHODS as readonly string[]).includes(value))
    throw new UsageError(`unknown method "${value}"`, `use one of: ${METHODS.join(', ')}`);
  const method = value as Method;
  const [problem] = checkMethod({ baseModel: model, region: '', method }, CATALOG);
  if (problem)
    throw new UsageError(problem.message, problem.hint.replace('set "baseModel" to', 'pass --model'));
  return method;
}

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
    .argument(
      '<file>',
      'JSONL training or validation file, or model invocation logs (a log file, or the folder you synced them to)',
    )
    .option('-m, --model <id>', MODEL_HELP)
    .option('--role <role>', 'training or validation (record limits differ)', 'training')
    .option('--method <method>', METHOD_HELP)
    .option(
      '--invocation-logs',
      'read <file> as Bedrock model invocation logs (detected by itself for a folder or a log record): what a distillation job would train on',
    )
    .option(
      '--teacher <id>',
      'invocation logs: the teacher (default: customization.distillation.teacherModel)',
    )
    .option(
      '--use-prompt-response',
      "invocation logs: train on the teacher's logged answers instead of having it answer again (default: customization.distillation.invocationLogs.usePromptResponse)",
    )
    .option(
      '--metadata-filter <json>',
      'invocation logs: requestMetadataFilters as the API takes them, e.g. \'{"equals": {"use": "distill"}}\' (default: from the config)',
    )
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
  $ tunekit data validate data/val.jsonl --role validation --json | jq '.errors[0]'
  $ tunekit data validate prompts.jsonl --method distillation        # prompts for a teacher
  $ tunekit data validate rft.jsonl --method reinforcement --model nova-2-lite
  $ aws s3 sync s3://my-logs/AWSLogs/123456789012/BedrockModelInvocationLogs/ logs/
  $ tunekit data validate logs/ --teacher nova-pro --use-prompt-response --metadata-filter '{"equals": {"use": "distill"}}'`,
    )
    .action(
      async (
        file: string,
        o: {
          model?: string;
          role: string;
          method?: string;
          maxErrors: number;
          json?: boolean;
          invocationLogs?: boolean;
        } & InvocationLogFlags,
      ) => {
        if (o.role !== 'training' && o.role !== 'validation')
          throw new UsageError(`--role must be training or validation, got "${o.role}"`);
        const model = resolveModel(o.model);
        if (o.invocationLogs || (await looksLikeInvocationLogs(file))) {
          requireDistillation(file, o.method);
          resolveMethod('distillation', model);
          const report = validateInvocationLogs(await readLogFiles(file), {
            model,
            ...invocationLogSelection(o, loadConfig().config),
            maxIssues: o.maxErrors,
          });
          if (o.json) out.json(report);
          else out.line(renderValidation(file, report));
          if (!report.valid) throw new ExitError(1);
          return;
        }
        const report = await validateDataset(
          { path: file },
          {
            model,
            method: resolveMethod(o.method, model),
            role: o.role,
            maxIssues: o.maxErrors,
            onProgress: progressLine(file),
          },
        );
        if (o.json) out.json(report);
        else out.line(renderValidation(file, report));
        if (process.env.TUNEKIT_REPORT_RSS) out.error(`peak-rss-kb=${process.resourceUsage().maxRSS}`);
        if (!report.valid) throw new ExitError(1);
      },
    );

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
      "Price a run of the configured method: training, storage, inference, and for distillation the teacher's answers — each price with its source",
    )
    .argument('<file>', 'JSONL training file, or model invocation logs (a log file or a synced folder)')
    .option('-m, --model <id>', MODEL_HELP)
    .option('--method <method>', METHOD_HELP)
    .option(
      '--epochs <n>',
      "fine-tuning epochs (default: the model's default epochCount)",
      positiveInt('--epochs'),
    )
    .option('--teacher <id>', 'distillation: the teacher (default: customization.distillation.teacherModel)')
    .option(
      '--use-prompt-response',
      "invocation logs: the student trains on the teacher's logged answers, so the teacher is not called again",
    )
    .option('--metadata-filter <json>', 'invocation logs: requestMetadataFilters, as for data validate')
    .option(
      '--max-response-tokens <n>',
      'distillation: assumed length of each teacher answer (default: customization.distillation.maxResponseLengthForInference)',
      positiveInt('--max-response-tokens'),
    )
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
      `\nEvery price names its source and date. A price tunekit has no source for is shown as unknown, never\nguessed: read it on ${PRICING_PAGE} and pass it with --training-price / --storage-price.\n\nExamples:\n  $ tunekit data estimate data/train.jsonl\n  $ tunekit data estimate data/train.jsonl --training-price 0.001 --storage-price 1.95\n  $ tunekit data estimate training_data.jsonl --model titan-text-express --epochs 3\n  $ tunekit data estimate prompts.jsonl --method distillation --teacher nova-premier --max-response-tokens 500\n  $ tunekit data estimate logs/ --teacher nova-pro --use-prompt-response   # invocation logs\n\nDistillation adds the teacher's on-demand price for reading every prompt and writing an answer of at most\n--max-response-tokens (tunekit assumes that length: an upper bound). See docs/methods.md.`,
    )
    .action(
      async (
        file: string,
        o: {
          model?: string;
          method?: string;
          epochs?: number;
          teacher?: string;
          maxResponseTokens?: number;
          trainingPrice?: number;
          storagePrice?: number;
          json?: boolean;
        } & Omit<InvocationLogFlags, 'teacher'>,
      ) => {
        const model = resolveModel(o.model);
        const config = loadConfig().config;
        const c = config.customization;
        // Invocation logs: price the records a job would use (the selection), as distillation data.
        const logs = (await looksLikeInvocationLogs(file))
          ? invocationLogSelection({ ...o, teacher: o.teacher }, config)
          : undefined;
        if (logs) requireDistillation(file, o.method);
        const method = resolveMethod(logs ? 'distillation' : o.method, model);
        const input = logs
          ? {
              buffer: Buffer.from(
                distillationJsonl(
                  selectTrainingRecords(readInvocationLogEntries(await readLogFiles(file)).entries, logs)
                    .records,
                ),
              ),
            }
          : { path: file };
        const estimate = await estimateMethodCost(input, {
          model,
          method,
          ...(logs?.usePromptResponse ? { usePromptResponse: true } : {}),
          ...(o.epochs === undefined ? {} : { epochs: o.epochs }),
          teacherModel: o.teacher ?? c.distillation?.teacherModel,
          maxResponseTokens: o.maxResponseTokens ?? c.distillation?.maxResponseLengthForInference,
          rft: c.reinforcement?.hyperparameters ?? {},
          prices: { trainingPer1kTokens: o.trainingPrice, storagePerModelMonth: o.storagePrice },
        });
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
    .option('--to <format>', `target format: ${DatasetFormatSchema.options.join(', ')}`, format)
    .option(
      '--method <method>',
      'distillation: turn fine-tuning records into prompts for a teacher (the final answers dropped)',
    )
    .option('--from <format>', 'source format (default: detected per record)', format)
    .option(
      '--use-prompt-response',
      "invocation logs: keep the teacher's logged answers (default: prompts only, the teacher answers again)",
    )
    .option(
      '--teacher <id>',
      'invocation logs: the teacher (default: customization.distillation.teacherModel)',
    )
    .option(
      '--metadata-filter <json>',
      'invocation logs: requestMetadataFilters, e.g. \'{"equals": {"use": "distill"}}\'',
    )
    .option('-o, --out <file>', 'output file (default: <name>.<format>.jsonl next to the input)')
    .option('--force', 'overwrite the output file')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nAll or nothing: if any line cannot be converted faithfully nothing is written and each such line is listed.\n\nExamples:\n  $ tunekit data convert training_data.jsonl --to bedrock-conversation-2024\n  $ tunekit data convert train.jsonl --to claude-messages -o claude.jsonl\n  $ tunekit data convert train.jsonl --method distillation   # writes train.distillation.jsonl\n  $ tunekit data convert logs/ --method distillation --metadata-filter \'{"equals": {"use": "distill"}}\'   # invocation logs -> prompts for the pipeline',
    )
    .action(
      async (
        file: string,
        o: {
          to?: DatasetFormat;
          from?: DatasetFormat;
          method?: string;
          out?: string;
          force?: boolean;
          json?: boolean;
        } & InvocationLogFlags,
      ) => {
        if (await looksLikeInvocationLogs(file)) {
          requireDistillation(file, o.method, true);
          const result = await convertInvocationLogs(
            file,
            await readLogFiles(file),
            invocationLogSelection(o, loadConfig().config),
            { out: o.out, force: o.force },
          );
          if (o.json) out.json(result);
          else
            out.line(
              `wrote ${result.out}: ${result.records} distillation records (bedrock-conversation-2024) from ${result.invocationLogs.logRecords} invocation log records, ${o.usePromptResponse ? "with the teacher's logged answers" : 'prompts only'}`,
            );
          return;
        }
        if (o.method !== undefined && o.method !== 'distillation')
          throw new UsageError(
            `data convert --method takes distillation only, got "${o.method}"`,
            o.method === 'reinforcement'
              ? 'reinforcement records need a reference_answer for your grader, which only you can write (docs/methods.md)'
              : 'fine-tuning data is converted with --to <format>',
          );
        const to = o.to ?? (o.method ? 'bedrock-conversation-2024' : undefined);
        if (!to) throw new UsageError('pass --to <format> or --method distillation');
        const result = await convertDataset(file, {
          to,
          from: o.from,
          out: o.out,
          force: o.force,
          ...(o.method ? { method: 'distillation' as const } : {}),
        });
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
