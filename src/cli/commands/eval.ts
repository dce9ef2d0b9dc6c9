import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { ExitError, TunekitError, UsageError } from '../../errors.ts';
import {
  CASE_CATEGORIES,
  categoryLabel,
  configuredSuite,
  DIMENSIONS,
  type EvalReport,
  evaluateAndSave,
  gateLine,
  listRuns,
  type ModelRef,
  ModelRefSchema,
  readReport,
  renderHtmlReport,
  resolveRun,
  type SavedRun,
  summarize,
} from '../../evaluation/index.ts';
import { cliAwsClients } from '../aws-target.ts';
import { stdoutOutput, style, table } from '../output.ts';
import { type PipelineReportSource, pipelineReportSource } from '../pipeline-reports.ts';

/** `baseline=amazon.nova-micro-v1:0` -> {label, modelId}; a bare id is labelled by itself. */
function parseModelFlag(value: string): ModelRef {
  const eq = value.indexOf('=');
  const [label, modelId] =
    eq > 0 ? [value.slice(0, eq), value.slice(eq + 1)] : [value.replace(/[^A-Za-z0-9_.-]/g, '-'), value];
  const ref = { label, modelId };
  if (!ModelRefSchema.safeParse(ref).success) {
    throw new UsageError(
      `--model ${value}: expected <label>=<model id or ARN>`,
      'e.g. --model baseline=amazon.nova-micro-v1:0 --model candidate=arn:aws:bedrock:...',
    );
  }
  return ref;
}

const positiveInt = (flag: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${value}: expected a whole number >= 1`);
  return n;
};

interface RunFlags {
  suite?: string;
  model: string[];
  baseline?: string;
  candidate?: string;
  production?: string;
  gate: boolean;
  judgeModel?: string;
  concurrency?: number;
  maxTokens?: number;
  trainingMetrics?: string;
  out?: string;
  endpoint?: string;
  region?: string;
  config?: string;
  json?: boolean;
}

function gateLabels(flags: RunFlags, models: ModelRef[]) {
  const labels = new Set(models.map((m) => m.label));
  const pick = (flag: string | undefined, name: string) => {
    if (flag && !labels.has(flag))
      throw new UsageError(`--${name} ${flag}: no --model has that label (${[...labels].join(', ')})`);
    return flag ?? (labels.has(name) ? name : undefined);
  };
  const baseline = pick(flags.baseline, 'baseline');
  const candidate = pick(flags.candidate, 'candidate');
  const production = pick(flags.production, 'production');
  if (!flags.gate || !baseline || !candidate) return undefined;
  return { baseline, candidate, ...(production ? { production } : {}) };
}

const score = (n: number | null | undefined) =>
  n === null || n === undefined ? style.dim('n/a') : n.toFixed(3);

function renderSummary(report: EvalReport, html: string): string {
  const s = summarize(report);
  // Dimensions (how answers were scored) and categories (which cases: what the gate compares), under the
  // names the gate lines use ("category safety" is not the "safety" dimension).
  const byCategory = (model: string) => report.aggregates.find((a) => a.model === model)?.byCategory ?? {};
  const rows = [
    [
      'MODEL',
      'OVERALL',
      ...DIMENSIONS.map((d) => d.toUpperCase()),
      ...CASE_CATEGORIES.map((c) => categoryLabel(c).toUpperCase()),
      'ERRORED',
    ].map((h) => style.bold(h)),
    ...s.models.map((m) => [
      m.model,
      score(m.overall),
      ...DIMENSIONS.map((d) => score(m.dimensions[d])),
      ...CASE_CATEGORIES.map((c) => score(byCategory(m.model)[c])),
      m.errored ? style.red(`${m.errored}/${m.total}`) : `0/${m.total}`,
    ]),
  ];
  const lines = [table(rows), '', `judge: ${s.judge}`];
  if (report.gate) {
    lines.push(
      `gate: ${report.gate.passed ? style.green('PASSED') : style.red('REJECTED')} — ${report.gate.summary}`,
    );
    for (const c of report.gate.checks) {
      const line = gateLine(c);
      lines.push(`  ${c.passed ? line : style.red(line)}`);
    }
  }
  lines.push('', `report: ${html}`);
  return lines.join('\n');
}

/** One progress line, redrawn in place on a terminal; a few plain lines otherwise. */
function progressPrinter() {
  const tty = Boolean(process.stderr.isTTY);
  let lastDecile = -1;
  return ({ done, total, errored }: { done: number; total: number; errored: number }) => {
    const text = `evaluating ${done}/${total}${errored ? ` (${errored} errored)` : ''}`;
    if (tty) {
      process.stderr.write(`\r${text}${done === total ? '\n' : ''}`);
      return;
    }
    const decile = Math.floor((done / total) * 10);
    if (decile !== lastDecile || done === total) {
      lastDecile = decile;
      process.stderr.write(`${text}\n`);
    }
  };
}

async function runCommand(flags: RunFlags): Promise<void> {
  const { config, dir } = loadConfig({ explicitPath: flags.config });
  const models = flags.model.map(parseModelFlag);
  if (models.length === 0)
    throw new UsageError(
      'give at least one --model <label>=<id>',
      'e.g. --model baseline=amazon.nova-micro-v1:0',
    );
  const dup = models.find((m, i) => models.findIndex((o) => o.label === m.label) !== i);
  if (dup)
    throw new UsageError(`--model: label "${dup.label}" is used twice`, 'give each model its own label');
  const labels = gateLabels(flags, models);
  const suiteFile = flags.suite ?? configuredSuite(config.evaluation.suite, dir);
  if (!suiteFile)
    throw new UsageError(
      'no evaluation suite: give --suite <file> or set evaluation.suite in tunekit.config.json',
      'the pipeline evaluates on a held-out slice of your training data when there is no suite; `eval run` needs one (`tunekit init --sample banking` writes an example)',
    );
  // maxAttempts 1 + standard mode: the runner retries itself, faster than the SDK's adaptive limiter.
  const clients = cliAwsClients(config, dir, {
    ...(flags.region ? { region: flags.region } : {}),
    maxAttempts: 1,
    retryMode: 'standard',
    ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
  });
  const { report, saved } = await evaluateAndSave({
    suitePath: flags.suite ? resolve(flags.suite) : resolve(dir, suiteFile),
    models,
    clients,
    concurrency: flags.concurrency ?? config.evaluation.concurrency,
    maxTokens: flags.maxTokens ?? config.evaluation.maxTokens,
    judgeModel: flags.judgeModel ?? config.evaluation.judgeModel,
    ...(labels ? { gate: { config: config.gate, labels } } : {}),
    trainingMetrics: flags.trainingMetrics,
    outDir: resolve(flags.out ?? resolve(dir, config.local.dataDir, 'eval')),
    onProgress: flags.json ? undefined : progressPrinter(),
  });
  if (flags.json) stdoutOutput.json(report);
  else stdoutOutput.line(renderSummary(report, saved.html));
  if (report.gate && !report.gate.passed) throw new ExitError(1);
}

function openInBrowser(path: string): boolean {
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const hasDisplay =
    process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!hasDisplay) return false;
  try {
    spawn(opener, [path], { detached: true, stdio: 'ignore' })
      .on('error', () => {})
      .unref();
    return true;
  } catch {
    return false;
  }
}

async function reportCommand(
  run: string,
  flags: { json?: boolean; open?: boolean; dir?: string; config?: string },
): Promise<void> {
  const { config, dir } = loadConfig({ explicitPath: flags.config });
  const dataDir = resolve(dir, config.local.dataDir);
  const baseDir = resolve(flags.dir ?? resolve(dataDir, 'eval'));
  showReport(await findReport(run, baseDir, dataDir, config, dir), flags);
}

/**
 * Every report of the project: `eval run`'s (under <dataDir>/eval) and the pipeline's (in the bucket:
 * the running local stack, the stopped one's data dir, or AWS). `latest` is the newest of all; a
 * pipeline report is copied to <dataDir>/reports/<run>/ so it can be opened like a local one.
 */
async function findReport(
  run: string,
  baseDir: string,
  dataDir: string,
  config: Config,
  configDir: string,
): Promise<SavedRun> {
  if (run !== 'latest') {
    try {
      return resolveRun(run, baseDir);
    } catch (error) {
      if ((error as TunekitError).code !== 'EVAL.RUN_NOT_FOUND') throw error;
    }
  }
  const source = await pipelineReportSource(config, configDir, dataDir);
  try {
    const pipeline = (source ? await listPipelineReports(source) : []).sort(
      (a, b) => a.lastModified.getTime() - b.lastModified.getTime(),
    );
    const local = listRuns(baseDir);
    if (run === 'latest') {
      const lastLocal = local.at(-1);
      const lastPipeline = pipeline.at(-1);
      const localTime = lastLocal ? statSync(join(baseDir, lastLocal, 'report.json')).mtimeMs : -1;
      if (lastPipeline && source && lastPipeline.lastModified.getTime() > localTime)
        return await copyPipelineReport(source, lastPipeline.run, dataDir);
      if (lastLocal) return resolveRun(lastLocal, baseDir);
      throw new TunekitError(
        'EVAL.NO_RUNS',
        `no evaluation reports: none under ${baseDir}${source ? ` and no pipeline report in ${source.describe}` : ' (no local stack data and no AWS credentials to look for pipeline reports)'}`,
        {
          hint: 'run the pipeline (`tunekit demo`, `tunekit run <file>`) or `tunekit eval run --suite <file> --model <label=id>` first',
        },
      );
    }
    if (source && pipeline.some((p) => p.run === run)) return await copyPipelineReport(source, run, dataDir);
    const recent = [...local.slice(-3), ...pipeline.slice(-3).map((p) => p.run)];
    throw new TunekitError(
      'EVAL.RUN_NOT_FOUND',
      `no evaluation report "${run}" (looked in ${baseDir}${source ? ` and ${source.describe}` : ''})`,
      {
        hint: recent.length
          ? `recent: ${recent.join(', ')} (or "latest")`
          : 'pass a run id, a pipeline run name, a run directory or a report.json path',
      },
    );
  } finally {
    await source?.close();
  }
}

/** A bucket that does not exist or cannot be read has no reports for us; say why, go on with the rest. */
async function listPipelineReports(source: PipelineReportSource) {
  try {
    return await source.list();
  } catch (error) {
    if ((error as Error).name !== 'NoSuchBucket')
      stdoutOutput.error(
        `could not list pipeline reports in ${source.describe}: ${(error as Error).message}`,
      );
    return [];
  }
}

async function copyPipelineReport(
  source: PipelineReportSource,
  run: string,
  dataDir: string,
): Promise<SavedRun> {
  const json = await source.read(run, 'json');
  if (json === undefined)
    throw new TunekitError('EVAL.RUN_NOT_FOUND', `the report of pipeline run ${run} disappeared`, {
      hint: 'list the runs again: tunekit runs list',
    });
  const dir = join(dataDir, 'reports', run);
  mkdirSync(dir, { recursive: true });
  const saved = { dir, json: join(dir, 'report.json'), html: join(dir, 'report.html') };
  writeFileSync(saved.json, json);
  const html = await source.read(run, 'html');
  if (html !== undefined) writeFileSync(saved.html, html);
  return saved;
}

function showReport(saved: SavedRun, flags: { json?: boolean; open?: boolean }): void {
  const report = readReport(saved.json);
  // The HTML is derived data: rebuild it if it was deleted.
  if (!existsSync(saved.html)) writeFileSync(saved.html, renderHtmlReport(report));
  if (flags.json) {
    stdoutOutput.json(report);
    return;
  }
  if (flags.open && !openInBrowser(saved.html))
    stdoutOutput.error('no browser available here; open the file below yourself');
  stdoutOutput.line(saved.html);
}

export function registerEval(program: Command): void {
  const evalCmd = program
    .command('eval')
    .description(
      'Evaluate models on a suite (accuracy, relevance, format, safety), gate a candidate, and report',
    );

  evalCmd
    .command('run')
    .description(
      'Ask every model every case of a suite, score the answers, apply the gate and save JSON + HTML reports',
    )
    .option('--suite <file>', 'evaluation suite (JSON or YAML); default: evaluation.suite from the config')
    .option(
      '--model <label=id>',
      'a model to evaluate, labelled (repeat); the id may be a model id or an ARN',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      '--baseline <label>',
      'label of the baseline for the gate (default: the model labelled "baseline")',
    )
    .option(
      '--candidate <label>',
      'label of the candidate for the gate (default: the model labelled "candidate")',
    )
    .option('--production <label>', 'label of the current production model, if any (default: "production")')
    .option('--no-gate', 'compare only; do not apply the gate')
    .option(
      '--judge-model <id>',
      'Bedrock model used as LLM judge through Converse (default: evaluation.judgeModel)',
    )
    .option(
      '--concurrency <n>',
      'model calls in flight at once (default: evaluation.concurrency)',
      positiveInt('--concurrency'),
    )
    .option(
      '--max-tokens <n>',
      'maximum tokens per answer (default: evaluation.maxTokens)',
      positiveInt('--max-tokens'),
    )
    .option(
      '--training-metrics <file|s3-uri>',
      "the job's step_wise_training_metrics.csv, drawn as a loss curve in the report",
    )
    .option('--out <dir>', 'where runs are saved (default: <local.dataDir>/eval, i.e. .tunekit/eval)')
    .option(
      '--endpoint <url>',
      'Bedrock Runtime (and S3) endpoint, e.g. the local stack; default: AWS_ENDPOINT_URL_* or AWS',
    )
    .option('--region <region>', 'AWS region (default: region from the config)')
    .option('--config <file>', 'config file (default: tunekit.config.json|yaml in this directory)')
    .option('--json', 'print the whole JSON report on stdout instead of the summary')
    .addHelpText(
      'after',
      `
Exit code: 0 when the run finished (and the gate, if applied, passed); 1 when the gate rejected the candidate.
A case a model could not answer (error, throttling past retries) is recorded as errored; it never stops the run.

Examples:
  $ tunekit eval run --suite eval/suite.json --model baseline=amazon.nova-micro-v1:0 \\
      --model candidate=arn:aws:bedrock:us-east-1:123456789012:custom-model-deployment/abc123
  $ eval "$(tunekit local env)"; tunekit eval run --model baseline=amazon.nova-micro-v1:0 --model candidate=my-deployment \\
      --training-metrics s3://tunekit-local/outputs/model-customization-job-x/training_artifacts/step_wise_training_metrics.csv
  $ tunekit eval run --model a=amazon.nova-micro-v1:0 --model b=amazon.nova-lite-v1:0 --no-gate --json > report.json`,
    )
    .action((flags: RunFlags) => runCommand(flags));

  evalCmd
    .command('report')
    .description(
      "Print the path of a report's HTML (or open it, or print its JSON): `eval run`'s and the pipeline's",
    )
    .argument(
      '<run>',
      'eval run id, pipeline run name, "latest" (newest of all), a run directory or a report.json path',
    )
    .option('--json', 'print the JSON report')
    .option('--open', 'open the HTML report in a browser when one is available')
    .option('--dir <dir>', 'where runs are saved (default: <local.dataDir>/eval)')
    .option('--config <file>', 'config file')
    .addHelpText(
      'after',
      "\nExamples:\n  $ tunekit eval report latest\n  $ tunekit eval report 20261124-193000-1a2b --open\n  $ tunekit eval report latest --json | jq '.aggregates[] | {model, overall}'",
    )
    .action((run: string, flags: { json?: boolean; open?: boolean; dir?: string; config?: string }) =>
      reportCommand(run, flags),
    );
}
