/// <reference lib="dom" />
import { useState } from 'preact/hooks';
import { type ApiError, post, READ_ONLY, useApi, usePoll } from './api.ts';
import { duration, ErrorBox, html, LossChart, Show, Status, when } from './components.ts';
import { PipelineDrawing } from './pipeline-graph.ts';
import { StartRun } from './start-run.ts';
import type { EvalReport, RunDetail, RunListPage, RunSummary } from './types.ts';

/**
 * The run list and one run: the state machine drawn with each state's status, timing and errors, the
 * states as a table, the outcome, what the run created and tore down, and the training loss.
 */

/** While a run is in progress, the pages showing it load again every 2 s. */
export const anyRunning = (runs: RunSummary[]) => runs.some((r) => r.status === 'RUNNING');

const runLink = (name: string) => `#/runs/${encodeURIComponent(name)}`;

export function RunsTable({ runs }: { runs: RunSummary[] }) {
  if (runs.length === 0)
    return html`<p>No runs yet. Upload training data (or <code>tunekit run &lt;file&gt;</code>) to start one.</p>`;
  return html`<div class="scroll"><table>
    <caption class="sr-only">Pipeline runs, newest first</caption>
    <thead><tr><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Outcome</th><th scope="col">Trigger</th><th scope="col">Data</th><th scope="col">Started (UTC)</th><th scope="col">Took</th></tr></thead>
    <tbody>${runs.map(
      (r) => html`<tr>
        <td><a href=${runLink(r.name)}>${r.name}</a></td>
        <td><${Status} status=${r.status} /></td>
        <td>${r.outcome ?? ''}${r.version ? ` ${r.version}` : ''}</td>
        <td>${r.trigger ?? ''}</td>
        <td class="mono">${r.data ?? ''}</td>
        <td>${when(r.startedAt)}</td>
        <td>${duration(r.durationMs)}</td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}

const PAGE_SIZE = 50;

/**
 * The run list, 50 runs a page, newest first. Paging is the server's (ListExecutions' nextToken), so
 * 1,000 runs cost one page of calls, not 1,000; the tokens of the pages seen are kept to go back.
 */
export function RunsPage() {
  const [tokens, setTokens] = useState<string[]>([]); // tokens[i]: the token of page i + 1
  const current = tokens.at(-1);
  const runs = useApi<RunListPage>(
    `/api/runs?limit=${PAGE_SIZE}${current ? `&next=${encodeURIComponent(current)}` : ''}`,
  );
  usePoll(runs, (p) => anyRunning(p.runs));
  const page = tokens.length + 1;
  return html`<section aria-labelledby="runs-h">
    <h1 id="runs-h">Runs</h1>
    <p><button type="button" onClick=${runs.reload}>Refresh</button></p>
    <${StartRun} onStarted=${() => {
      setTokens([]);
      runs.reload();
    }} />
    ${Show(
      runs,
      (data) => html`<${RunsTable} runs=${data.runs} />
      <nav class="pager" aria-label="Run pages">
        <button type="button" disabled=${page === 1} onClick=${() => setTokens([])}>Newest</button>
        <button type="button" disabled=${page === 1} onClick=${() => setTokens(tokens.slice(0, -1))}>Newer</button>
        <span aria-live="polite">${runs.loading ? 'loading…' : `page ${page} · runs ${(page - 1) * PAGE_SIZE + 1}–${(page - 1) * PAGE_SIZE + data.runs.length}`}</span>
        <button type="button" disabled=${!data.nextToken} onClick=${() => data.nextToken && setTokens([...tokens, data.nextToken])}>Older</button>
      </nav>`,
    )}
  </section>`;
}

function StatesTable({ run }: { run: RunDetail }) {
  const start = run.startedAt ? Date.parse(run.startedAt) : 0;
  return html`<div class="scroll"><table>
    <caption>States of the pipeline, in the order they ran</caption>
    <thead><tr><th scope="col">State</th><th scope="col">Status</th><th scope="col">At</th><th scope="col">Took</th><th scope="col">Detail</th></tr></thead>
    <tbody>${run.states.map((s) => {
      const entered = Date.parse(s.enteredAt);
      const took = (s.exitedAt ? Date.parse(s.exitedAt) : Date.now()) - entered;
      const detail = [
        s.iterations
          ? `${s.iterations.done}/${s.iterations.started} cases${s.iterations.failed ? `, ${s.iterations.failed} failed` : ''}`
          : '',
        s.failures ? `${s.failures} failed attempt${s.failures > 1 ? 's' : ''}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      return html`<tr class=${s.status}>
        <th scope="row">${s.name}</th>
        <td><${Status} status=${s.status} /></td>
        <td>+${duration(entered - start)}</td>
        <td>${duration(took)}</td>
        <td>${detail}${s.error && s.status !== 'succeeded' ? html`<div class="error-text">${s.error}: ${s.message ?? ''}</div>` : null}</td>
      </tr>`;
    })}</tbody>
  </table></div>`;
}

const deploymentText = (d: RunDetail['resources']['deployments'][number]) =>
  `${d.role === 'candidate' ? 'Evaluation deployment' : 'Production, deployed for the comparison'} (${d.mode ?? 'deployment'}${d.shared ? ', borrowed: not ours to delete' : ''}) ${d.name ?? ''} `;

/** What the run created (its custom model, its evaluation deployments) and what its Teardown deleted. */
function Resources({ run }: { run: RunDetail }) {
  const { customModel, deployments, tornDown, deletedModels } = run.resources;
  const deleted = new Set((tornDown ?? []).map((d) => d.arn));
  return html`<section aria-labelledby="resources-h" class="resources">
    <h2 id="resources-h">Created and torn down</h2>
    <div class="cards">
      <div class="card" data-section="created"><h3>Created</h3>
        ${
          customModel || deployments.length
            ? html`<ul>
          ${customModel ? html`<li>Custom model ${customModel.name ? html`<strong>${customModel.name}</strong> ` : null}<span class="mono">${customModel.arn}</span></li>` : null}
          ${deployments.map((d) => html`<li data-arn=${d.arn}>${deploymentText(d)}<span class="mono">${d.arn}</span>${deleted.has(d.arn) ? html` <span class="status ok">deleted</span>` : null}</li>`)}
        </ul>`
            : html`<p class="muted">${run.status === 'RUNNING' ? 'Nothing yet: the custom model and evaluation deployments appear as the run makes them.' : 'Nothing: the run stopped before training finished.'}</p>`
        }
      </div>
      <div class="card" data-section="torn-down"><h3>Torn down</h3>
        ${
          tornDown === undefined
            ? html`<p class="muted">${run.status === 'RUNNING' ? 'Teardown has not run yet.' : run.status === 'ABORTED' ? 'Teardown did not run: a stopped run ends where it is. Stop (and tunekit runs stop) deletes its evaluation deployments itself.' : 'Teardown did not run.'}</p>`
            : tornDown.length || deletedModels?.length
              ? html`<ul>${tornDown.map((d) => html`<li>Deleted ${d.mode} <span class="mono">${d.arn}</span></li>`)}
                ${(deletedModels ?? []).map((m) => html`<li>Rejected ${m.version}'s custom model: ${m.action}</li>`)}</ul>`
              : html`<p>Teardown found nothing to delete.</p>`
        }
        ${customModel && run.output?.version ? html`<p class="muted">The custom model stays: it is version ${String(run.output.version)} in the registry.</p>` : null}
      </div>
    </div>
  </section>`;
}

function Outcome({ output }: { output: Record<string, unknown> }) {
  const reasons = (output.reasons as string[] | undefined) ?? [];
  return html`<section aria-labelledby="outcome-h">
    <h2 id="outcome-h">Outcome</h2>
    <p><${Status} status=${String(output.outcome ?? 'unknown')} />
      ${output.version ? html` version <a href=${`#/registry/${encodeURIComponent(String(output.version))}`}>${String(output.version)}</a>` : null}</p>
    ${reasons.length ? html`<ul>${reasons.map((r) => html`<li>${r}</li>`)}</ul>` : null}
  </section>`;
}

function Loss({ name }: { name: string }) {
  const report = useApi<EvalReport>(`/api/evaluations/${encodeURIComponent(name)}`);
  if (report.error) return html`<p class="muted">No training loss to show: ${report.error.message}.</p>`;
  if (!report.data) return html`<p class="muted">Loading the training loss…</p>`;
  const points = report.data.trainingLoss ?? [];
  return points.length
    ? html`<${LossChart} points=${points} validation=${report.data.validationLoss ?? []} />`
    : html`<p class="muted">The training job reported no loss values.</p>`;
}

/**
 * Stop a running run: a cause (recorded with the run) and a confirmation; then its deployments go.
 * The outcome is handed to the run page, which keeps showing it after the run (now ABORTED) unmounts this form.
 */
function StopRun({ name, onStopped }: { name: string; onStopped: (outcome: string) => void }) {
  const [open, setOpen] = useState(false);
  const [cause, setCause] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  if (READ_ONLY) return null;
  if (!open) return html`<button type="button" onClick=${() => setOpen(true)}>Stop this run…</button>`;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await post<{ deleted: { mode: string; arn: string }[] }>('/api/actions/stop', {
        run: name,
        reason: cause,
      });
      onStopped(
        `stopped; ${r.deleted.length ? `deleted ${r.deleted.map((d) => `${d.mode} ${d.arn}`).join(', ')}` : 'nothing to tear down'}`,
      );
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="confirm" role="dialog" aria-labelledby="stop-h" onSubmit=${submit}
      onKeyDown=${(e: KeyboardEvent) => e.key === 'Escape' && setOpen(false)}>
    <h2 id="stop-h">Stop ${name}</h2>
    <p>The run stops where it is; its evaluation deployments are deleted (what Teardown would have done).</p>
    <label for="cause">Cause (recorded with the run)</label>
    <textarea id="cause" required rows="2" value=${cause} onInput=${(e: Event) => setCause((e.target as HTMLTextAreaElement).value)}></textarea>
    ${error ? html`<${ErrorBox} error=${error} />` : null}
    <p><button type="submit" disabled=${busy || !cause.trim()}>${busy ? 'Stopping…' : 'Confirm stop'}</button>
      <button type="button" onClick=${() => setOpen(false)}>Cancel</button></p>
  </form>`;
}

export function RunPage({ name }: { name: string }) {
  const run = useApi<RunDetail>(`/api/runs/${encodeURIComponent(name)}`);
  usePoll(run, (r) => r.status === 'RUNNING');
  const [stopOutcome, setStopOutcome] = useState<string>();
  const stopped = (outcome: string) => {
    setStopOutcome(outcome);
    run.reload();
  };
  return html`<section aria-labelledby="run-h">
    <h1 id="run-h">Run <span class="mono">${name}</span></h1>
    ${Show(
      run,
      (r) => html`
      <p><${Status} status=${r.status} /> started ${when(r.startedAt)} UTC${r.durationMs !== undefined ? `, took ${duration(r.durationMs)}` : ''}
        ${r.trigger ? html` · trigger ${r.trigger}` : null}${r.data ? html` · data <span class="mono">${r.data}</span>` : null}</p>
      ${r.error ? html`<div class="error" role="alert"><strong>${r.status} ${r.error}</strong><p>${r.cause ?? ''}</p></div>` : null}
      ${stopOutcome ? html`<p class="notice" role="status">${stopOutcome}</p>` : null}
      ${r.status === 'RUNNING' && !stopOutcome ? html`<${StopRun} name=${r.name} onStopped=${stopped} />` : null}
      <p>${r.status === 'RUNNING' ? html`<button type="button" onClick=${run.reload}>Refresh</button> ` : null}
        ${r.output?.reportUri ? html`<a class="button" href=${`#/evaluations/${encodeURIComponent(r.name)}`}>Evaluation</a>` : null}</p>
      <${PipelineDrawing} run=${r} />
      <${StatesTable} run=${r} />
      ${r.output ? html`<${Outcome} output=${r.output} />` : null}
      <${Resources} run=${r} />
      <section aria-labelledby="loss-h"><h2 id="loss-h">Training loss</h2>
        ${r.output?.reportUri ? html`<${Loss} name=${r.name} />` : html`<p class="muted">Available once the run has an evaluation report.</p>`}
      </section>`,
    )}
  </section>`;
}
