/// <reference lib="dom" />
import { useState } from 'preact/hooks';
import { useApi } from './api.ts';
import { duration, html, Show, when } from './components.ts';
import type { HourlyCost, MoneyReport } from './types.ts';

/**
 * Money: what is deployed or provisioned now (the janitor's listing), what each costs per hour (the model
 * catalog's sourced prices; unknown says so, with where to look), and what the janitor would delete.
 */

/** "$41.00/h", or "unknown" — each with its basis and a link to its source. */
export function Cost({ cost }: { cost: HourlyCost }) {
  const href = cost.source.split(' ')[0] ?? cost.source;
  return html`<span class="cost">
    <strong>${cost.usd === null ? 'unknown' : `$${cost.usd.toFixed(2)}/h`}</strong>
    <span class="muted"> ${cost.basis}${cost.asOf ? ` (${cost.asOf})` : ''} · <a href=${href} target="_blank" rel="noreferrer">${cost.usd === null ? 'check the price' : 'source'}</a></span>
  </span>`;
}

const JANITOR: Record<string, string> = {
  'would-delete': 'would delete',
  'kept-young': 'keeps (younger than the age)',
  'kept-production': 'keeps (serves production)',
  'kept-committed': 'keeps (commitment term)',
};

function Money({ m }: { m: MoneyReport }) {
  const doomed = m.resources.filter((r) => r.janitor === 'would-delete');
  const unknown = m.perHour.unknown ? ` + ${m.perHour.unknown} unknown` : '';
  if (m.resources.length === 0)
    return html`<p class="notice" role="status">Nothing of ${m.project} is deployed or provisioned: nothing bills by the hour. (Checked ${when(m.checkedAt)} UTC.)</p>`;
  return html`<p class="money-total">${m.resources.length} deployed or provisioned now: <strong>$${m.perHour.knownUsd.toFixed(2)}/h</strong>${unknown} (checked ${when(m.checkedAt)} UTC)</p>
    <div class="scroll"><table class="money">
      <caption class="sr-only">Deployments and Provisioned Throughput of ${m.project}, with hourly cost and what the janitor would do</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Age</th><th scope="col">Per hour</th><th scope="col">Janitor</th></tr></thead>
      <tbody>${m.resources.map(
        (r) => html`<tr data-name=${r.name}>
          <th scope="row" class="mono">${r.name}${r.production ? html` <span class="alias">production</span>` : null}</th>
          <td>${r.kind === 'provisioned-throughput' ? `Provisioned Throughput${r.modelUnits ? `, ${r.modelUnits} unit(s)` : ''}` : 'custom model deployment (on-demand)'}${r.baseModel ? html`<br /><span class="muted">${r.baseModel}</span>` : null}</td>
          <td>${r.status}</td>
          <td>${duration(r.ageMinutes * 60_000)}</td>
          <td><${Cost} cost=${r.hourly} /></td>
          <td class=${r.janitor === 'would-delete' ? 'worse' : ''}>${JANITOR[r.janitor] ?? r.janitor}${r.janitorNote ? html`<br /><span class="muted">${r.janitorNote}</span>` : null}</td>
        </tr>`,
      )}</tbody>
    </table></div>
    <p class="janitor-summary">At a minimum age of ${m.janitorMaxAgeMinutes} minutes the janitor would delete ${doomed.length} of ${m.resources.length}${doomed.length ? `, stopping $${m.janitorWouldSavePerHourUsd.toFixed(2)}/h of known cost` : ''}. <code>tunekit cleanup --dry-run</code> lists the same resources (at age 0).</p>`;
}

export function MoneyPage() {
  // First the janitor's own default (the server's), then what the user asks.
  const [age, setAge] = useState('');
  const [asked, setAsked] = useState('');
  const money = useApi<MoneyReport>(asked ? `/api/money?maxAge=${encodeURIComponent(asked)}` : '/api/money');
  return html`<section aria-labelledby="money-h">
    <h1 id="money-h">Money</h1>
    <p class="muted">Deployments and Provisioned Throughput tagged for this project, as <code>tunekit cleanup</code> and the janitor find them. Prices come from the model catalog with their sources; a price no source states is shown as unknown.</p>
    <form class="filters" aria-label="Janitor age" onSubmit=${(e: Event) => {
      e.preventDefault();
      setAsked(age);
      if (age === asked) money.reload();
    }}>
      <label>Janitor minimum age (minutes) <input type="number" min="0" max="10080" step="1" value=${age} onInput=${(e: Event) => setAge((e.target as HTMLInputElement).value)} /></label>
      <button type="submit">Check</button>
      <span class="muted">Empty: the janitor's default (FineTunePipeline janitorMaxAge).</span>
    </form>
    ${Show(money, (m) => html`<${Money} m=${m} />`)}
  </section>`;
}
