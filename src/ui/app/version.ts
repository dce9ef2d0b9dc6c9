/// <reference lib="dom" />
import { useApi } from './api.ts';
import { compareHref } from './compare.ts';
import { html, pct, Show, Status, when } from './components.ts';
import type { VersionDetail } from './types.ts';

/**
 * One registry version (GET /api/registry/versions/<ref>, the library's showVersion, as `tunekit registry
 * show`): lineage (base model, job, custom model, data manifest), hyperparameters, scores and the gate.
 */

export const versionHref = (v: string) => `#/registry/${encodeURIComponent(v)}`;

/** The pipeline writes the report to reports/<run name>/evaluation-report.json: the run it came from. */
const runOf = (v: VersionDetail) =>
  /\/reports\/([^/]+)\/evaluation-report\.json$/.exec(v.evaluation?.reportUri ?? '')?.[1];

function Field({ name, value }: { name: string; value: unknown }) {
  if (value === undefined || value === null || value === '') return null;
  return html`<tr><th scope="row">${name}</th><td class="mono">${String(value)}</td></tr>`;
}

function Version({ v }: { v: VersionDetail }) {
  const run = runOf(v);
  const scores = v.evaluation?.scores ?? {};
  const baseline = v.evaluation?.baselineScores ?? {};
  const keys = [...new Set([...Object.keys(scores), ...Object.keys(baseline)])];
  const hyper = Object.entries(v.hyperparameters ?? {});
  return html`
    <p>${v.aliases.map((a) => html`<span class="alias">${a}</span> `)}
      ${v.gate ? html`gate <${Status} status=${v.gate.passed ? 'pass' : 'fail'} />` : null}
      · registered ${when(v.registeredAt)} UTC by ${v.registeredBy}</p>
    <p>${[
      ...(run
        ? [
            html`<a href=${`#/runs/${encodeURIComponent(run)}`}>Run ${run}</a>`,
            html`<a href=${`#/evaluations/${encodeURIComponent(run)}`}>its evaluation</a>`,
          ]
        : []),
      ...(v.aliases.includes('production')
        ? []
        : [html`<a href=${compareHref('production', v.version)}>Compare with production</a>`]),
    ].map((link, i) => (i ? html` · ${link}` : link))}</p>
    ${v.gate && !v.gate.passed && v.gate.reasons.length ? html`<div class="warn-box"><strong>Why the gate failed</strong><ul>${v.gate.reasons.map((r) => html`<li>${r}</li>`)}</ul></div>` : null}
    <section aria-labelledby="lineage-h"><h2 id="lineage-h">Lineage</h2>
      <div class="scroll"><table class="lineage"><caption class="sr-only">Where ${v.version} comes from</caption><tbody>
        <${Field} name="Base model" value=${v.baseModelId} />
        <${Field} name="Model family" value=${v.baseModelFamily} />
        <${Field} name="Customization job" value=${v.jobArn} />
        <${Field} name="Custom model" value=${v.customModelArn} />
        <${Field} name="Custom model deleted" value=${v.customModelDeletedAt ? `${when(v.customModelDeletedAt)} UTC (the record stays)` : undefined} />
        <${Field} name="Deployment" value=${v.deploymentArn} />
        <${Field} name="Training data" value=${v.dataManifest?.uri} />
        <${Field} name="Data sha256" value=${v.dataManifest?.sha256} />
        <${Field} name="Records" value=${v.dataManifest?.records} />
        <${Field} name="Format" value=${v.dataManifest?.format} />
        <${Field} name="Validation data" value=${v.dataManifest?.validationUri} />
        <${Field} name="Evaluation report" value=${v.evaluation?.reportUri} />
        <${Field} name="Notes" value=${v.notes} />
      </tbody></table></div>
    </section>
    <section aria-labelledby="hyper-h"><h2 id="hyper-h">Hyperparameters</h2>
      ${
        hyper.length
          ? html`<div class="scroll"><table><caption class="sr-only">Hyperparameters of the job</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Value</th></tr></thead>
          <tbody>${hyper.map(([k, val]) => html`<tr><th scope="row">${k}</th><td>${String(val)}</td></tr>`)}</tbody></table></div>`
          : html`<p>None recorded (the base model's defaults).</p>`
      }
    </section>
    <section aria-labelledby="vscores-h"><h2 id="vscores-h">Scores</h2>
      ${
        keys.length
          ? html`<div class="scroll"><table><caption class="sr-only">Scores of ${v.version} and the baseline</caption>
          <thead><tr><th scope="col">Score</th><th scope="col">${v.version}</th><th scope="col">baseline</th></tr></thead>
          <tbody>${keys.map((k) => html`<tr data-key=${k}><th scope="row">${k}</th><td>${pct(scores[k])}</td><td>${pct(baseline[k])}</td></tr>`)}</tbody></table></div>`
          : html`<p>No evaluation recorded.</p>`
      }
    </section>`;
}

export function VersionPage({ version }: { version: string }) {
  const v = useApi<VersionDetail>(`/api/registry/versions/${encodeURIComponent(version)}`);
  return html`<section aria-labelledby="ver-h">
    <h1 id="ver-h">Version ${v.data?.version ?? version}</h1>
    <p><a href="#/registry">All versions</a></p>
    ${Show(v, (d) => html`<${Version} v=${d} />`)}
  </section>`;
}
