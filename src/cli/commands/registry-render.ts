import type { HistoryEvent, ModelVersion, VersionDiff, VersionListing } from '../../registry/index.ts';
import { style, table } from '../output.ts';

/** Human renderings of registry results (the `--json` forms print the objects as they are). */

export function renderList(listing: VersionListing): string {
  if (listing.versions.length === 0)
    return `No versions of ${listing.name} registered yet (revision ${listing.revision}).`;
  const header = ['VERSION', 'STATUS', 'ALIASES', 'BASE MODEL', 'METHOD', 'SCORE', 'GATE', 'REGISTERED'].map(
    (h) => style.bold(h),
  );
  const rows = [...listing.versions]
    .reverse()
    .map((v) => [
      v.version,
      v.status !== 'registered'
        ? style.yellow('pending (incomplete)')
        : v.customModelDeletedAt
          ? style.dim('registered, model deleted')
          : 'registered',
      v.aliases.map((a) => (a === 'production' ? style.green(a) : a)).join(',') || '-',
      v.baseModelId,
      v.method ?? 'fine-tuning',
      v.overallScore === undefined ? '-' : v.overallScore.toFixed(3),
      v.gatePassed === undefined ? '-' : v.gatePassed ? style.green('passed') : style.red('failed'),
      v.registeredAt ?? v.reservedAt,
    ]);
  return `${table([header, ...rows])}\n\n${listing.name}: revision ${listing.revision}`;
}

export function renderVersion(
  v: ModelVersion & { customModelDeletedAt?: string | undefined },
  aliases: string[],
): string {
  const lines = [
    `${style.bold(`${v.name} ${v.version}`)}${aliases.length ? `  (${aliases.join(', ')})` : ''}`,
    `  registered     ${v.registeredAt} by ${v.registeredBy}`,
    `  base model     ${v.baseModelId} (${v.baseModelFamily})`,
    `  method         ${methodLine(v.customization)}`,
    `  job            ${v.jobArn ?? '-'}`,
    `  custom model   ${v.customModelArn ?? '-'}${
      v.customModelDeletedAt ? ` (deleted ${v.customModelDeletedAt}: rejected, past its retention)` : ''
    }`,
    `  deployment     ${v.deploymentArn ?? '-'}`,
    `  hyperparams    ${
      Object.entries(v.hyperparameters)
        .map(([k, x]) => `${k}=${x}`)
        .join(' ') || '-'
    }`,
  ];
  const d = v.dataManifest;
  lines.push(
    `  data           ${d ? `${d.uri} (${d.records} records, sha256 ${d.sha256.slice(0, 12)}…)` : '-'}`,
  );
  const scores = v.evaluation?.scores ?? {};
  lines.push(
    `  scores         ${
      Object.entries(scores)
        .map(([k, x]) => `${k}=${x}`)
        .join(' ') || '-'
    }`,
  );
  if (v.evaluation?.reportUri) lines.push(`  report         ${v.evaluation.reportUri}`);
  if (v.gate)
    lines.push(`  gate           ${v.gate.passed ? 'passed' : `failed: ${v.gate.reasons.join('; ')}`}`);
  return lines.join('\n');
}

export function renderDiff(diff: VersionDiff): string {
  if (diff.rows.length === 0) return `${diff.a} and ${diff.b} have the same lineage, data and scores.`;
  const show = (x: unknown) => (x === undefined ? '-' : String(x));
  const header = ['GROUP', 'FIELD', diff.a, diff.b, 'DELTA'].map((h) => style.bold(h));
  const rows = diff.rows.map((r) => [
    r.group,
    r.field,
    show(r.a),
    show(r.b),
    r.delta === undefined
      ? ''
      : r.delta > 0
        ? style.green(`+${r.delta}`)
        : r.delta < 0
          ? style.red(String(r.delta))
          : '0',
  ]);
  return table([header, ...rows]);
}

export function renderHistory(events: HistoryEvent[]): string {
  if (events.length === 0) return 'No history yet.';
  const header = ['REV', 'WHEN', 'WHO', 'ACTION', 'VERSION', 'FROM', 'WHY'].map((h) => style.bold(h));
  const rows = events.map((e) => [
    String(e.revision),
    e.at,
    e.actor,
    e.action + (e.forced ? ' (forced)' : ''),
    e.version,
    e.from ?? '-',
    e.reason ?? '',
  ]);
  return table([header, ...rows]);
}

/** "distillation (DISTILLATION) teacher amazon.nova-premier-v1:0, max response 1000 tokens". */
function methodLine(c: ModelVersion['customization']): string {
  if (!c) return 'fine-tuning';
  const options = [
    c.teacherModel ? `teacher ${c.teacherModel}` : '',
    c.maxResponseLengthForInference ? `max response ${c.maxResponseLengthForInference} tokens` : '',
    c.grader ? `grader ${c.grader}` : '',
    c.rftHyperparameters && Object.keys(c.rftHyperparameters).length
      ? Object.entries(c.rftHyperparameters)
          .map(([k, x]) => `${k}=${x}`)
          .join(' ')
      : '',
  ].filter(Boolean);
  return `${c.method} (${c.customizationType})${options.length ? ` ${options.join(', ')}` : ''}`;
}
