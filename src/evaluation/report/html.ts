import { caseScore } from '../aggregate.ts';
import { DIMENSIONS } from '../metrics/metric.ts';
import type { CaseResult } from '../run.schema.ts';
import { CaseCategorySchema } from '../suite.schema.ts';
import { judgeLine } from './build-report.ts';
import type { EvalReport } from './report.schema.ts';
import { escapeHtml as e, groupedBarChart, lineChart, PALETTE } from './svg-charts.ts';

/**
 * The report as one self-contained HTML page (inline CSS and SVG, no script, no external asset), so it
 * can be mailed, attached to a ticket or opened from S3 as it is.
 */
const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px}
.meta{color:#5b6473}.card{background:#fff;border:1px solid #e0e3e8;border-radius:8px;padding:14px 16px;margin:10px 0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eceef2;vertical-align:top}
th{font-weight:600;color:#3a4250;background:#fafbfc}
.pass{color:#1a7f37;font-weight:600}.fail{color:#c62828;font-weight:600}.muted{color:#8a93a3}
.badge{display:inline-block;padding:4px 12px;border-radius:14px;font-weight:700;color:#fff}
.badge.pass{background:#1a7f37;color:#fff}.badge.fail{background:#c62828;color:#fff}
.charts{display:flex;flex-wrap:wrap;gap:12px}.charts svg{background:#fff;border:1px solid #e0e3e8;border-radius:8px}
svg .t{font-weight:600;font-size:13px}svg .ax{font-size:11px;fill:#5b6473}svg .v{font-size:10px;fill:#1d2430}svg .grid{stroke:#eceef2}
.case{background:#fff;border:1px solid #e0e3e8;border-radius:8px;margin:12px 0;overflow:hidden}
.case header{padding:8px 12px;background:#fafbfc;border-bottom:1px solid #eceef2}
.cat{font-size:11px;padding:1px 8px;border-radius:10px;background:#e8eef7;margin-left:6px}
.cat.safety{background:#fde8e8}.cat.out-of-domain{background:#eef5e9}
.q{padding:8px 12px;border-bottom:1px solid #eceef2}.q b{color:#3a4250}
.answers{display:grid;gap:0}.answer{padding:8px 12px;border-right:1px solid #eceef2}.answer:last-child{border-right:0}
.answer pre{white-space:pre-wrap;word-wrap:break-word;font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;margin:6px 0;background:#f8f9fb;padding:6px;border-radius:4px;max-height:260px;overflow:auto}
.chip{display:inline-block;font-size:11px;padding:1px 6px;margin:2px 3px 0 0;border-radius:4px;background:#eef1f5}
.chip.low{background:#fdecea}.err{color:#c62828}
`;

const pct = (n: number | null | undefined) =>
  n === null || n === undefined ? '<span class="muted">n/a</span>' : n.toFixed(3);

function gateSection(report: EvalReport): string {
  const gate = report.gate;
  if (!gate)
    return `<h2>Gate</h2><div class="card muted">No gate applied (give baseline and candidate labels).</div>`;
  const rows = gate.checks
    .map(
      (c) => `<tr><td>${e(c.name)}<div class="muted">${e(c.description)}</div></td><td>${c.threshold}</td>
<td>${Object.entries(c.measured)
        .map(([k, v]) => `${e(k)}: ${pct(v)}`)
        .join('<br>')}</td>
<td>${c.delta === null ? '<span class="muted">–</span>' : (c.delta >= 0 ? '+' : '') + c.delta.toFixed(3)}</td>
<td class="${c.passed ? 'pass' : 'fail'}">${c.passed ? 'pass' : 'fail'}</td><td>${e(c.reason)}</td></tr>`,
    )
    .join('');
  return `<h2>Gate</h2><div class="card"><span class="badge ${gate.passed ? 'pass' : 'fail'}">${gate.passed ? 'PASSED' : 'REJECTED'}</span>
<span class="meta"> candidate <b>${e(gate.labels.candidate)}</b> vs baseline <b>${e(gate.labels.baseline)}</b>${gate.labels.production ? ` and production <b>${e(gate.labels.production)}</b>` : ''} — ${e(gate.summary)}</span>
<table style="margin-top:10px"><tr><th>Check</th><th>Threshold</th><th>Measured</th><th>Delta</th><th>Verdict</th><th>Reason</th></tr>${rows}</table></div>`;
}

function scoresSection(report: EvalReport): string {
  const labels = report.aggregates.map((a) => a.model);
  const dims = groupedBarChart(
    DIMENSIONS.map((d) => ({ label: d, values: report.aggregates.map((a) => a.byDimension[d] ?? null) })),
    labels,
    'Score per dimension (0–1)',
  );
  const cats = groupedBarChart(
    CaseCategorySchema.options.map((c) => ({
      label: c,
      values: report.aggregates.map((a) => a.byCategory[c] ?? null),
    })),
    labels,
    'Score per category (0–1)',
  );
  const rows = report.aggregates
    .map(
      (
        a,
        i,
      ) => `<tr><td><span style="color:${PALETTE[i % PALETTE.length]}">■</span> <b>${e(a.model)}</b><div class="muted">${e(a.modelId)}</div></td>
<td>${pct(a.overall)}</td>${DIMENSIONS.map((d) => `<td>${pct(a.byDimension[d])}</td>`).join('')}
<td class="${a.errored ? 'fail' : ''}">${a.errored}/${a.total}</td><td>${a.retries}</td><td>${a.meanLatencyMs === null ? 'n/a' : `${Math.round(a.meanLatencyMs)} ms`}</td></tr>`,
    )
    .join('');
  return `<h2>Scores</h2><div class="card"><table><tr><th>Model</th><th>Overall</th>${DIMENSIONS.map((d) => `<th>${d}</th>`).join('')}<th>Errored</th><th>Retries</th><th>Mean latency</th></tr>${rows}</table></div>
<div class="charts">${dims}${cats}</div>`;
}

/** The training curve(s): loss per step, and the mean reward per step for reinforcement fine-tuning. */
export function lossSection(report: Pick<EvalReport, 'trainingLoss'>): string {
  const loss = report.trainingLoss;
  if (!loss?.length) return '';
  // Reinforcement fine-tuning also reports the grader's mean reward per step.
  const rewarded = loss.filter((p) => p.reward !== undefined);
  const reward = rewarded.length
    ? lineChart(
        rewarded.map((p) => ({ x: p.step, y: p.reward as number })),
        'Mean reward per step',
        'step',
        'reward',
      )
    : '';
  return `<h2>Training ${rewarded.length ? 'loss and reward' : 'loss'}</h2><div class="charts">${lineChart(
    loss.map((p) => ({ x: p.step, y: p.loss })),
    'Training loss per step',
    'step',
    'loss',
  )}${reward}</div>`;
}

function answerCell(result: CaseResult | undefined, label: string): string {
  if (!result) return `<div class="answer"><b>${e(label)}</b> <span class="muted">no result</span></div>`;
  if (result.status === 'error') {
    return `<div class="answer"><b>${e(label)}</b> <span class="err">error after ${result.attempts} attempt(s)</span><pre class="err">${e(`${result.error?.code}: ${result.error?.message}`)}</pre></div>`;
  }
  const chips = result.metrics
    .map(
      (m) =>
        `<span class="chip${m.score < 0.5 ? ' low' : ''}" title="${e(m.detail ?? '')}">${e(m.metric)} ${m.score.toFixed(2)}</span>`,
    )
    .join('');
  const details = result.metrics.filter((m) => m.detail).map((m) => `${m.metric}: ${m.detail}`);
  return `<div class="answer"><b>${e(label)}</b> <span class="meta">score ${pct(caseScore(result))}</span><pre>${e(result.answer ?? '')}</pre>${chips}
${details.length ? `<div class="muted" style="font-size:12px;margin-top:4px">${details.map(e).join('<br>')}</div>` : ''}${result.judgeError ? `<div class="err" style="font-size:12px">judge: ${e(result.judgeError)}</div>` : ''}</div>`;
}

function casesSection(report: EvalReport): string {
  const byKey = new Map(report.results.map((r) => [`${r.caseId}\u0000${r.model}`, r]));
  const columns = `grid-template-columns:repeat(${report.models.length},minmax(0,1fr))`;
  const cases = report.suite.cases
    .map(
      (
        c,
      ) => `<section class="case"><header><b>${e(c.id)}</b><span class="cat ${c.category}">${c.category}</span>${c.tags.map((t) => `<span class="chip">${e(t)}</span>`).join('')}</header>
<div class="q"><b>Prompt</b> ${e(c.prompt)}<br><b>Reference</b> ${e(c.reference)}${c.expectedTheme ? `<br><b>Theme</b> ${e(c.expectedTheme)}` : ''}</div>
<div class="answers" style="${columns}">${report.models.map((m) => answerCell(byKey.get(`${c.id}\u0000${m.label}`), m.label)).join('')}</div></section>`,
    )
    .join('\n');
  return `<h2>Cases (${report.suite.cases.length})</h2>${cases}`;
}

export function renderHtmlReport(report: EvalReport): string {
  const judge =
    report.judge.status === 'used'
      ? `LLM judge ${e(judgeLine(report))}`
      : `LLM judge skipped — ${e(report.judge.reason ?? '')}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>tunekit evaluation ${e(report.runId)} — ${e(report.suite.name)}</title><style>${CSS}</style></head>
<body><main>
<h1>Evaluation: ${e(report.suite.name)}</h1>${report.suite.description ? `<p class="meta">${e(report.suite.description)}</p>` : ''}
<div class="meta">run ${e(report.runId)} · ${e(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s · ${report.suite.cases.length} cases × ${report.models.length} models · concurrency ${report.concurrency}</div>
<div class="meta">${judge}</div>
${gateSection(report)}
${scoresSection(report)}
${lossSection(report)}
${casesSection(report)}
</main></body></html>
`;
}
