import type {
  ConvertResult,
  DatasetStats,
  MethodCostEstimate,
  ValidationReport,
} from '../../dataset/index.ts';
import { formatIssue, INVOCATION_LOG_LIMITS } from '../../dataset/index.ts';
import type { Price } from '../../models/schema.ts';
import { style, table } from '../output.ts';

/** Human renderings of the data commands' results (the --json forms print the objects as they are). */

const n = (x: number) => x.toLocaleString('en-US');
const plural = (count: number, word: string) => `${n(count)} ${word}${count === 1 ? '' : 's'}`;

export function renderValidation(file: string, r: ValidationReport): string {
  const lines: string[] = [];
  const head = `${file}: ${plural(r.records, 'record')}, ${plural(r.errorCount, 'error')}, ${plural(r.warningCount, 'warning')} (${r.format} for ${r.method && r.method !== 'fine-tuning' ? `${r.method} of ` : ''}${r.model})`;
  lines.push(r.valid ? `${style.green('valid')} ${head}` : `${style.red('invalid')} ${head}`);
  const logs = r.invocationLogs;
  if (logs) {
    const left = Object.entries({
      'filtered out by request metadata': logs.dropped.filtered,
      'answered by another model': logs.dropped.otherModel,
      'without an answer': logs.dropped.noResponse,
      [`over the ${n(INVOCATION_LOG_LIMITS.max)} maximum`]: logs.dropped.overLimit,
    })
      .filter(([, count]) => count > 0)
      .map(([why, count]) => `${n(count)} ${why}`);
    lines.push(
      `  ${plural(logs.logRecords, 'invocation log record')} in ${plural(logs.files, 'file')}; ${
        logs.usePromptResponse
          ? `the student trains on the logged answers of ${logs.teacher}`
          : 'the teacher answers each prompt again'
      }${left.length ? `; left out: ${left.join(', ')}` : ''}`,
    );
  }
  const section = (
    title: string,
    list: ValidationReport['errors'],
    total: number,
    paint: (s: string) => string,
  ) => {
    if (!list.length) return;
    lines.push('', paint(title));
    for (const issue of list) lines.push(`  ${formatIssue(file, issue)}  ${style.dim(`[${issue.code}]`)}`);
    if (total > list.length)
      lines.push(`  ...and ${n(total - list.length)} more (raise --max-errors to list them)`);
  };
  section('errors', r.errors, r.errorCount, style.red);
  section('warnings', r.warnings, r.warningCount, style.yellow);
  lines.push(
    '',
    style.dim(`~${n(r.stats.estimatedTokens)} tokens (characters / 6), ${n(r.stats.bytes)} bytes`),
  );
  return lines.join('\n');
}

const dist = (label: string, d: DatasetStats['tokensPerRecord']) => [
  label,
  ...[d.min, d.p50, d.p90, d.p99, d.max, d.mean].map((x) => n(x)),
];

export function renderStats(file: string, s: DatasetStats): string {
  const lines = [
    `${style.bold(file)}`,
    `records        ${n(s.records)}${s.skippedLines ? `  (${n(s.skippedLines)} unreadable lines skipped — run tunekit data validate)` : ''}`,
    `characters     ${n(s.characters)}`,
    `tokens (est.)  ${n(s.estimatedTokens)}  ${style.dim(s.tokenEstimate)}`,
    `formats        ${
      Object.entries(s.formats)
        .map(([f, c]) => `${f} (${n(c)})`)
        .join(', ') || 'none'
    }`,
    `duplicates     ${n(s.duplicates.records)} records in ${n(s.duplicates.groups)} groups${s.duplicates.examples.map((e) => `; line ${e.line} = line ${e.sameAs}`).join('')}`,
    '',
    table([
      ['per record', 'min', 'p50', 'p90', 'p99', 'max', 'mean'].map((h) => style.bold(h)),
      dist('tokens', s.tokensPerRecord),
      dist('prompt tokens', s.promptTokens),
      dist('answer tokens', s.answerTokens),
      dist('turns', s.turnsPerRecord),
    ]),
    '',
    `longest: ${s.longest.map((l) => `line ${l.line} (~${n(l.estimatedTokens)} tokens)`).join(', ') || 'none'}`,
  ];
  return lines.join('\n');
}

const usd = (x: number | null) =>
  x === null ? style.yellow('unknown') : `$${x < 0.01 && x > 0 ? Number(x.toPrecision(2)) : x.toFixed(2)}`;
const src = (p: Price) =>
  style.dim(
    p.usd === null
      ? `(not in tunekit's catalog: today's price is at ${p.source}; ${p.asOf})`
      : `($${p.usd} ${p.unit}; ${p.source}, ${p.asOf})`,
  );

export function renderEstimate(file: string, e: MethodCostEstimate): string {
  const method = e.method ?? 'fine-tuning';
  const lines = [
    method === 'fine-tuning'
      ? `${style.bold(file)} on ${e.modelName} (${e.model}): ${n(e.records)} records, ~${n(e.datasetTokens)} tokens x ${e.epochs} epochs (${e.epochsFrom})`
      : `${style.bold(file)}: ${method} of ${e.modelName} (${e.model}), ${n(e.records)} prompts, ~${n(e.datasetTokens)} tokens`,
    '',
  ];
  if (e.teacher)
    lines.push(
      `teacher input     ${usd(e.teacher.input.usd)}  ${e.teacher.name}: ${e.teacher.input.quantity} ${src(e.teacher.input.price)}`,
      `teacher answers   ${usd(e.teacher.output.usd)}  ${e.teacher.output.quantity} ${src(e.teacher.output.price)}`,
      `  ${style.dim(e.teacher.assumption)}`,
    );
  lines.push(
    `training          ${usd(e.training.usd)}  ${e.training.quantity} ${src(e.training.price)}`,
    `storage / month   ${usd(e.storagePerMonth.usd)}  ${src(e.storagePerMonth.price)}`,
  );
  if (e.reinforcement) lines.push(`  ${style.dim(e.reinforcement.note)}`);
  const inf = e.inference;
  if (inf.mode === 'on-demand') {
    lines.push(
      `inference         on-demand custom model deployment, per 1,000 requests like your records:`,
      `  input           ${usd(inf.perThousandRequests.usd)}  ${inf.perThousandRequests.quantity} ${src(inf.perThousandRequests.price)}`,
      `  output          ${usd(inf.perThousandRequests.output.usd)}  ${inf.perThousandRequests.output.quantity} ${src(inf.perThousandRequests.output.price)}`,
    );
  } else {
    lines.push(
      `inference         Provisioned Throughput ${usd(inf.perHour.usd)} per hour, ${usd(inf.per30Days)} per 30 days ${src(inf.perHour.price)}`,
    );
  }
  lines.push(
    `  ${style.dim(inf.note)}`,
    '',
    `${e.teacher ? 'teacher + ' : ''}training + first month of storage: ${e.firstMonthKnownTotal === null ? style.yellow("unknown (a price above is not in tunekit's catalog)") : usd(e.firstMonthKnownTotal)}`,
  );
  lines.push(style.dim(`tokens: ${e.tokenEstimate}`));
  for (const w of e.warnings) lines.push(style.yellow(`warning: ${w}`));
  return lines.join('\n');
}

export function renderConvert(file: string, r: ConvertResult): string {
  if (r.out)
    return `wrote ${r.out}: ${plural(r.records, 'record')} as ${r.method ? `${r.method} prompts (${r.to}, answers dropped)` : r.to}`;
  const lines = [
    `${style.red('refused')} ${file}: ${plural(r.refusedCount, 'line')} cannot be converted to ${r.to} faithfully; nothing was written`,
  ];
  for (const x of r.refused) lines.push(`  ${file}:${x.line} ${x.reason}`);
  if (r.refusedCount > r.refused.length) lines.push(`  ...and ${n(r.refusedCount - r.refused.length)} more`);
  return lines.join('\n');
}
