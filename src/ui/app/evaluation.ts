/// <reference lib="dom" />
import { useMemo, useState } from 'preact/hooks';
import { useApi } from './api.ts';
import { html, pct, ScoreBars, Show, Status } from './components.ts';
import type { CaseResult, EvalReport } from './types.ts';

/** One run's evaluation: scores per dimension and model, the gate's checks, every case side by side. */

const PAGE = 50;

/** Mean over dimensions of each dimension's mean metric score (as evaluation/aggregate.ts caseScore). */
export function caseScore(r: CaseResult | undefined): number | undefined {
  if (r?.status !== 'ok' || r.metrics.length === 0) return undefined;
  const byDim = new Map<string, number[]>();
  for (const m of r.metrics) byDim.set(m.dimension, [...(byDim.get(m.dimension) ?? []), m.score]);
  const means = [...byDim.values()].map((s) => s.reduce((a, b) => a + b, 0) / s.length);
  return means.reduce((a, b) => a + b, 0) / means.length;
}

export interface CaseView {
  id: string;
  category: string;
  prompt: string;
  reference: string;
  results: Record<string, CaseResult | undefined>;
  /** Any model errored, or the candidate scored below the baseline on this case. */
  failed: boolean;
  /** candidate - baseline (negative: a regression). */
  delta: number | undefined;
  /** A remark shown by the case's title (e.g. "only in v1.0"). */
  note?: string;
}

function caseViews(report: EvalReport): CaseView[] {
  const candidate = report.gate?.labels.candidate ?? 'candidate';
  const baseline = report.gate?.labels.baseline ?? 'baseline';
  const byCase = new Map<string, Record<string, CaseResult>>();
  for (const r of report.results) byCase.set(r.caseId, { ...byCase.get(r.caseId), [r.model]: r });
  return report.suite.cases.map((c) => {
    const results = byCase.get(c.id) ?? {};
    const cand = caseScore(results[candidate]);
    const base = caseScore(results[baseline]);
    const delta = cand !== undefined && base !== undefined ? cand - base : undefined;
    const errored = Object.values(results).some((r) => r.status === 'error');
    return { ...c, results, failed: errored || (delta !== undefined && delta < 0), delta };
  });
}

/** Every case with the models' answers side by side: filters, search, regressions first, 50 per page. */
export function Cases({ views: all, models }: { views: CaseView[]; models: string[] }) {
  const [failedOnly, setFailedOnly] = useState(false);
  const [category, setCategory] = useState('');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<'suite' | 'regression'>('suite');
  const [page, setPage] = useState(0);
  const categories = [...new Set(all.map((c) => c.category))];
  const needle = search.trim().toLowerCase();
  const shown = all
    .filter((c) => !failedOnly || c.failed)
    .filter((c) => !category || c.category === category)
    .filter(
      (c) =>
        !needle ||
        [c.id, c.prompt, c.reference, ...Object.values(c.results).map((r) => r?.answer ?? '')]
          .join('\n')
          .toLowerCase()
          .includes(needle),
    );
  if (sort === 'regression') shown.sort((a, b) => (a.delta ?? 0) - (b.delta ?? 0));
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const current = Math.min(page, pages - 1);
  const reset =
    <T>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(0);
    };
  return html`<section aria-labelledby="cases-h">
    <h2 id="cases-h">Cases</h2>
    <form class="filters" onSubmit=${(e: Event) => e.preventDefault()}>
      <label><input type="checkbox" checked=${failedOnly} onChange=${(e: Event) => reset(setFailedOnly)((e.target as HTMLInputElement).checked)} /> Failed or regressed only</label>
      <label>Category <select value=${category} onChange=${(e: Event) => reset(setCategory)((e.target as HTMLSelectElement).value)}>
        <option value="">all</option>${categories.map((c) => html`<option value=${c}>${c}</option>`)}
      </select></label>
      <label>Order <select value=${sort} onChange=${(e: Event) => reset(setSort)((e.target as HTMLSelectElement).value as 'suite' | 'regression')}>
        <option value="suite">suite order</option><option value="regression">biggest regressions first</option>
      </select></label>
      <label>Search <input type="search" value=${search} onInput=${(e: Event) => reset(setSearch)((e.target as HTMLInputElement).value)} /></label>
    </form>
    <p aria-live="polite" class="count">${shown.length} of ${all.length} cases</p>
    <ol class="cases" start=${current * PAGE + 1}>
      ${shown.slice(current * PAGE, (current + 1) * PAGE).map(
        (c) => html`<li class=${`case${c.failed ? ' failed' : ''}`} data-case=${c.id}>
          <h3>${c.id} <span class="muted">${c.category}</span>
            ${c.failed ? html`<span class="status bad">${Object.values(c.results).some((r) => r?.status === 'error') ? 'errored' : 'regressed'}</span>` : null}
            ${c.delta !== undefined ? html`<span class="muted"> Δ ${c.delta >= 0 ? '+' : ''}${c.delta.toFixed(3)}</span>` : null}
            ${c.note ? html` <span class="status">${c.note}</span>` : null}</h3>
          <p class="prompt"><strong>Prompt:</strong> ${c.prompt}</p>
          <details><summary>Reference answer</summary><p>${c.reference}</p></details>
          <div class="answers">${models.map((m) => {
            const r = c.results[m];
            return html`<div class="answer"><h4>${m} <span class="muted">${pct(caseScore(r))}</span></h4>
              ${r?.status === 'error' ? html`<p class="error-text">${r.error?.code}: ${r.error?.message}</p>` : html`<pre>${r?.answer ?? '(no answer)'}</pre>`}
              <ul class="chips">${(r?.metrics ?? []).map((s) => html`<li class="chip" title=${s.detail ?? ''}>${s.metric} ${s.score.toFixed(2)}</li>`)}</ul>
            </div>`;
          })}</div>
        </li>`,
      )}
    </ol>
    ${
      pages > 1
        ? html`<nav class="pager" aria-label="Case pages">
        <button type="button" disabled=${current === 0} onClick=${() => setPage(current - 1)}>Previous</button>
        <span>page ${current + 1} of ${pages}</span>
        <button type="button" disabled=${current >= pages - 1} onClick=${() => setPage(current + 1)}>Next</button>
      </nav>`
        : null
    }
  </section>`;
}

function ReportCases({ report }: { report: EvalReport }) {
  const views = useMemo(() => caseViews(report), [report]);
  return html`<${Cases} views=${views} models=${report.models.map((m) => m.label)} />`;
}

function Report({ report }: { report: EvalReport }) {
  const models = report.aggregates.map((a) => a.model);
  const dimensions = [...new Set(report.aggregates.flatMap((a) => Object.keys(a.byDimension)))];
  const rows = [
    {
      dimension: 'overall',
      scores: Object.fromEntries(report.aggregates.map((a) => [a.model, a.overall ?? undefined])),
    },
    ...dimensions.map((d) => ({
      dimension: d,
      scores: Object.fromEntries(
        report.aggregates.map((a) => [a.model, (a.byDimension as Record<string, number | undefined>)[d]]),
      ),
    })),
  ];
  const categories = [...new Set(report.aggregates.flatMap((a) => Object.keys(a.byCategory)))];
  const categoryRows = categories.map((c) => ({
    dimension: c,
    scores: Object.fromEntries(
      report.aggregates.map((a) => [a.model, (a.byCategory as Record<string, number | undefined>)[c]]),
    ),
  }));
  return html`
    <p>Suite <strong>${report.suite.name}</strong>, ${report.suite.cases.length} cases · judge ${report.judge.status}${report.judge.model ? ` (${report.judge.model})` : ''}</p>
    <section aria-labelledby="scores-h"><h2 id="scores-h">Scores</h2>
      <div class="charts">
        <${ScoreBars} rows=${rows} models=${models} />
        <${ScoreBars} rows=${categoryRows} models=${models} title="Scores per category" />
      </div>
      <div class="scroll"><table>
        <caption class="sr-only">Scores per dimension and model</caption>
        <thead><tr><th scope="col">Dimension</th>${models.map((m) => html`<th scope="col">${m}</th>`)}</tr></thead>
        <tbody>${rows.map((r) => html`<tr><th scope="row">${r.dimension}</th>${models.map((m) => html`<td>${pct(r.scores[m])}</td>`)}</tr>`)}
          <tr><th scope="row">errored</th>${report.aggregates.map((a) => html`<td>${a.errored}/${a.total}</td>`)}</tr></tbody>
      </table></div>
    </section>
    ${
      report.gate
        ? html`<section aria-labelledby="gate-h"><h2 id="gate-h">Gate <${Status} status=${report.gate.passed ? 'passed' : 'rejected'} /></h2>
      <p>${report.gate.summary}</p>
      <div class="scroll"><table>
        <thead><tr><th scope="col">Check</th><th scope="col">Result</th><th scope="col">Threshold</th><th scope="col">Reason</th></tr></thead>
        <tbody>${report.gate.checks.map((c) => html`<tr><th scope="row" title=${c.description}>${c.name}</th><td><${Status} status=${c.passed ? 'pass' : 'fail'} /></td><td>${c.threshold}</td><td>${c.reason}</td></tr>`)}</tbody>
      </table></div></section>`
        : null
    }
    <${ReportCases} report=${report} />`;
}

export function EvaluationPage({ name }: { name: string }) {
  const report = useApi<EvalReport>(`/api/evaluations/${encodeURIComponent(name)}`);
  return html`<section aria-labelledby="eval-h">
    <h1 id="eval-h">Evaluation of <a class="mono" href=${`#/runs/${encodeURIComponent(name)}`}>${name}</a></h1>
    ${Show(report, (r) => html`<${Report} report=${r} />`)}
  </section>`;
}
