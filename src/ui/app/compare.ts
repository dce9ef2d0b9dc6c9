/// <reference lib="dom" />
import { useMemo, useState } from 'preact/hooks';
import { useApi } from './api.ts';
import { html, pct, ScoreBars, Show } from './components.ts';
import { Cases, type CaseView } from './evaluation.ts';
import type { Listing, VersionComparison } from './types.ts';

/**
 * Two registry versions on their evaluations (GET /api/compare, the library's compareRegistryVersions):
 * scores per dimension and per category side by side, and every case with both versions' answers.
 */

export const compareHref = (a: string, b: string) =>
  `#/compare/${encodeURIComponent(a)}/${encodeURIComponent(b)}`;

/** Two version pickers and a button that opens the comparison (on the registry page and this one). */
export function ComparePicker({ listing, a, b }: { listing: Listing; a?: string; b?: string }) {
  const versions = listing.versions.map((v) => v.version).reverse();
  const [left, setLeft] = useState(a ?? versions[1] ?? versions[0] ?? '');
  const [right, setRight] = useState(b ?? versions[0] ?? '');
  if (versions.length < 2) return html`<p class="muted">Compare needs two registered versions.</p>`;
  const option = (v: string) => html`<option value=${v}>${v}</option>`;
  return html`<form class="filters compare-picker" aria-label="Compare two versions" onSubmit=${(
    e: Event,
  ) => {
    e.preventDefault();
    location.hash = compareHref(left, right);
  }}>
    <label>Compare <select value=${left} onChange=${(e: Event) => setLeft((e.target as HTMLSelectElement).value)}>${versions.map(option)}</select></label>
    <label>with <select value=${right} onChange=${(e: Event) => setRight((e.target as HTMLSelectElement).value)}>${versions.map(option)}</select></label>
    <button type="submit" disabled=${left === right}>Compare</button>
  </form>`;
}

const signed = (n: number | undefined) => (n === undefined ? '–' : `${n >= 0 ? '+' : ''}${n.toFixed(3)}`);

function caseViews(c: VersionComparison): CaseView[] {
  return c.cases.map((x) => ({
    id: x.id,
    category: x.category,
    prompt: x.prompt,
    reference: x.reference,
    results: { [c.a.name]: x.a, [c.b.name]: x.b },
    failed: x.change === 'regressed' || x.change === 'errored',
    delta: x.delta,
    ...(x.change === 'only-a' ? { note: `only in ${c.a.name}` } : {}),
    ...(x.change === 'only-b' ? { note: `only in ${c.b.name}` } : {}),
    ...(x.reworded ? { note: 'reworded between the suites' } : {}),
  }));
}

function ScoreTable({
  c,
  rows,
  title,
}: {
  c: VersionComparison;
  rows: VersionComparison['dimensions'];
  title: string;
}) {
  return html`<div class="scroll"><table>
    <caption class="sr-only">${title}</caption>
    <thead><tr><th scope="col">${title.split(' ').at(-1)}</th><th scope="col">${c.a.name}</th><th scope="col">${c.b.name}</th><th scope="col">Δ (${c.b.name} − ${c.a.name})</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr data-key=${r.key}><th scope="row">${r.key}</th><td>${pct(r.a)}</td><td>${pct(r.b)}</td>
        <td class=${r.delta !== undefined && r.delta < 0 ? 'worse' : ''}>${signed(r.delta)}</td></tr>`,
    )}</tbody>
  </table></div>`;
}

function Comparison({ c }: { c: VersionComparison }) {
  const views = useMemo(() => caseViews(c), [c]);
  const models = [c.a.name, c.b.name];
  const bars = (rows: VersionComparison['dimensions']) =>
    rows.map((r) => ({ dimension: r.key, scores: { [c.a.name]: r.a, [c.b.name]: r.b } }));
  const regressed = c.cases.filter((x) => x.change === 'regressed').length;
  const improved = c.cases.filter((x) => x.change === 'improved').length;
  return html`
    ${
      c.suite.same
        ? html`<p class="suite-note">Both evaluated on suite <strong>${c.a.suite}</strong> (${c.a.cases} cases): ${c.b.name} did better on ${improved} and worse on ${regressed}.</p>`
        : html`<div class="warn-box" role="note"><strong>Different suites.</strong> ${c.suite.message}.
          ${c.suite.onlyA.length ? html`<p>Only in ${c.a.name}: ${c.suite.onlyA.join(', ')}</p>` : null}
          ${c.suite.onlyB.length ? html`<p>Only in ${c.b.name}: ${c.suite.onlyB.join(', ')}</p>` : null}
          ${c.suite.reworded.length ? html`<p>Reworded: ${c.suite.reworded.join(', ')}</p>` : null}</div>`
    }
    <dl class="sides">${[c.a, c.b].map(
      (s) =>
        html`<div><dt>${s.name}</dt><dd>run report ${s.runId} · suite ${s.suite} · ${s.errored}/${s.total} errored · <span class="mono">${s.modelId}</span></dd></div>`,
    )}</dl>
    <section aria-labelledby="cmp-scores-h"><h2 id="cmp-scores-h">Scores</h2>
      <div class="charts">
        <${ScoreBars} rows=${bars(c.dimensions)} models=${models} />
        <${ScoreBars} rows=${bars(c.categories)} models=${models} title="Scores per category" />
      </div>
      <${ScoreTable} c=${c} rows=${c.dimensions} title="Scores per dimension" />
      <${ScoreTable} c=${c} rows=${c.categories} title="Scores per category" />
    </section>
    <${Cases} views=${views} models=${models} />`;
}

export function ComparePage({ a, b }: { a: string; b: string }) {
  const listing = useApi<Listing>('/api/registry');
  const comparison = useApi<VersionComparison>(
    `/api/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`,
  );
  return html`<section aria-labelledby="cmp-h">
    <h1 id="cmp-h">Compare ${a} and ${b}</h1>
    ${Show(listing, (l) => html`<${ComparePicker} key=${`${a}/${b}`} listing=${l} a=${a} b=${b} />`)}
    ${Show(comparison, (c) => html`<${Comparison} c=${c} />`)}
  </section>`;
}
