/// <reference lib="dom" />
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, post, READ_ONLY, useApi } from './api.ts';
import { ErrorBox, html, Show, when } from './components.ts';
import type { ManualRunResult, TrainingData } from './types.ts';

/**
 * "Start a run…": pick a training file in the bucket (under the trigger prefix) and start a run on it, as
 * `tunekit run s3://… [--force]` does (a POST with the CSRF token; hidden with --read-only).
 */

const size = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`;

function StartForm({
  data,
  onDone,
  onCancel,
}: {
  data: TrainingData;
  onDone: (r: ManualRunResult) => void;
  onCancel: () => void;
}) {
  const [key, setKey] = useState(data.objects[0]?.key ?? '');
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const field = useRef<HTMLSelectElement>(null);
  useEffect(() => field.current?.focus(), []);
  if (data.objects.length === 0)
    return html`<div class="confirm" role="dialog" aria-labelledby="start-h"><h2 id="start-h">Start a run</h2>
      <p>No <code>*${data.suffix}</code> file under <code>s3://${data.bucket}/${data.prefix}</code> yet. Upload one (an upload there starts a run by itself), or use <code>tunekit run ./train.jsonl</code>.</p>
      <p><button type="button" onClick=${onCancel}>Close</button></p></div>`;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onDone(await post<ManualRunResult>('/api/actions/run', { key, force }));
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="confirm" role="dialog" aria-labelledby="start-h" onSubmit=${submit}
      onKeyDown=${(e: KeyboardEvent) => e.key === 'Escape' && onCancel()}>
    <h2 id="start-h">Start a run</h2>
    <label for="data">Training data (s3://${data.bucket}/${data.prefix}, newest first)</label>
    <select id="data" ref=${field} value=${key} onChange=${(e: Event) => setKey((e.target as HTMLSelectElement).value)}>
      ${data.objects.map((o) => html`<option value=${o.key}>${o.key.slice(data.prefix.length)} · ${size(o.size)} · ${when(o.lastModified)}</option>`)}
    </select>
    <label><input type="checkbox" checked=${force} onChange=${(e: Event) => setForce((e.target as HTMLInputElement).checked)} /> Retrain even if this data was already trained with the same settings (--force)</label>
    <p class="muted">Runs are named by their content: data already trained with the same settings starts nothing and names the run that trained it.</p>
    ${error ? html`<${ErrorBox} error=${error} />` : null}
    <p><button type="submit" disabled=${busy || !key}>${busy ? 'Starting…' : 'Confirm start'}</button>
      <button type="button" onClick=${onCancel}>Cancel</button></p>
  </form>`;
}

export function StartRun({ onStarted }: { onStarted: () => void }) {
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<ManualRunResult>();
  const data = useApi<TrainingData>(open ? '/api/data' : undefined);
  if (READ_ONLY) return null;
  return html`<div class="start-run">
    ${
      result
        ? html`<p class="notice" role="status">${
            result.started
              ? html`Started <a href=${`#/runs/${encodeURIComponent(result.name)}`}>${result.name}</a> on ${result.data}.`
              : html`Nothing started: ${result.reason} (<a href=${`#/runs/${encodeURIComponent(result.name)}`}>${result.name}</a>)`
          }</p>`
        : null
    }
    ${
      open
        ? Show(
            data,
            (d) =>
              html`<${StartForm} data=${d} onCancel=${() => setOpen(false)} onDone=${(r: ManualRunResult) => {
                setResult(r);
                setOpen(false);
                onStarted();
              }} />`,
          )
        : html`<button type="button" onClick=${() => {
            setResult(undefined);
            setOpen(true);
          }}>Start a run…</button>`
    }
  </div>`;
}
