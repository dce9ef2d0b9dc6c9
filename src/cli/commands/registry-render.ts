import type { ReportComparison } from '../../evaluation/index.ts';
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

/** `registry compare`: the suite check, score rows with deltas, and the cases that changed most. */
export function renderComparison(c: ReportComparison, top: number): string {
  const f = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(3));
  const d = (n: number | undefined) =>
    n === undefined
      ? ''
      : n > 0
        ? style.green(`+${n.toFixed(3)}`)
        : n < 0
          ? style.red(n.toFixed(3))
          : '0.000';
  const count = (change: string) => c.cases.filter((x) => x.change === change).length;
  const lines = [
    c.suite.same
      ? `Both evaluated on suite "${c.a.suite}" (${c.a.cases} cases): ${c.b.name} better on ${count('improved')}, worse on ${count('regressed')}, errored on ${count('errored')}.`
      : style.yellow(`${c.suite.message}.`),
    '',
    table([
      ['SCORE', c.a.name, c.b.name, 'DELTA'].map((h) => style.bold(h)),
      ...[...c.dimensions, ...c.categories.map((r) => ({ ...r, key: `category ${r.key}` }))].map((r) => [
        r.key,
        f(r.a),
        f(r.b),
        d(r.delta),
      ]),
    ]),
  ];
  const moved = c.cases
    .filter((x) => x.delta !== undefined && x.delta !== 0)
    .sort((x, y) => (x.delta ?? 0) - (y.delta ?? 0))
    .slice(0, top);
  if (moved.length) {
    lines.push('', style.bold(`Biggest regressions first (${moved.length} of ${c.cases.length} cases):`));
    lines.push(table(moved.map((x) => [x.id, x.category, f(x.scoreA), f(x.scoreB), d(x.delta)])));
  }
  return lines.join('\n');
}
