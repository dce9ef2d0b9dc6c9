/// <reference lib="dom" />
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { ApiError, Loaded } from './api.ts';

/** Small shared pieces: markup helper, error box, loading states, formatting and the charts. */

export { duration } from './format.ts';
export { html };

export function ErrorBox({ error }: { error: ApiError }): VNode {
  return html`<div class="error" role="alert">
    <strong>${error.message}</strong>
    ${error.fix ? html`<p>Fix: ${error.fix}</p>` : null}
  </div>` as VNode;
}

/** Renders `body` once loaded; the error (message and fix) or a loading line otherwise — never blank. */
export function Show<T>(loaded: Loaded<T>, body: (data: T) => unknown): unknown {
  if (loaded.error) return html`<${ErrorBox} error=${loaded.error} />`;
  if (loaded.data === undefined) return html`<p class="muted" aria-live="polite">Loading…</p>`;
  return body(loaded.data);
}

export const when = (iso: string | undefined) => (iso ? iso.replace('T', ' ').slice(0, 19) : '');

export const pct = (n: number | null | undefined) => (n === null || n === undefined ? '–' : n.toFixed(3));

export function Status({ status }: { status: string }) {
  const kind = /SUCCEEDED|succeeded|promoted|registered|pass/i.test(status)
    ? 'ok'
    : /RUNNING|running/.test(status)
      ? 'run'
      : 'bad';
  return html`<span class="status ${kind}">${status}</span>`;
}

/** A line chart (uPlot) with a caption that says what it shows, and the numbers as a table fallback. */
export function LossChart({
  points,
  validation = [],
}: {
  points: { step: number; loss: number }[];
  /** Validation loss (the job had validation data), on the same steps axis. */
  validation?: { step: number; loss: number }[];
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const width = Math.min(720, ref.current.clientWidth || 640);
    // uPlot wants one x array: the union of both series' steps, null where a series has no point.
    const steps = [...new Set([...points, ...validation].map((p) => p.step))].sort((a, b) => a - b);
    const at = (series: { step: number; loss: number }[]) => {
      const byStep = new Map(series.map((p) => [p.step, p.loss]));
      return steps.map((s) => byStep.get(s) ?? null);
    };
    const plot = new uPlot(
      {
        width,
        height: 260,
        scales: { x: { time: false } },
        axes: [{ label: 'step' }, { label: 'loss' }],
        series: [
          { label: 'step' },
          { label: 'training loss', stroke: '#2456c9', width: 2, spanGaps: true },
          ...(validation.length
            ? [{ label: 'validation loss', stroke: '#b54708', width: 2, dash: [6, 4], spanGaps: true }]
            : []),
        ],
      },
      [steps, at(points), ...(validation.length ? [at(validation)] : [])] as uPlot.AlignedData,
      ref.current,
    );
    return () => plot.destroy();
  }, [points, validation]);
  const first = points[0];
  const last = points.at(-1);
  const lastValidation = validation.at(-1);
  const label = `Training loss over ${points.length} steps${first && last ? `: from ${first.loss.toFixed(3)} at step ${first.step} to ${last.loss.toFixed(3)} at step ${last.step}` : ''}${lastValidation ? `; validation loss ${lastValidation.loss.toFixed(3)} at step ${lastValidation.step} (${validation.length} point${validation.length === 1 ? '' : 's'})` : ''}`;
  return html`<figure class="chart">
    <div ref=${ref} role="img" aria-label=${label}></div>
    <figcaption>${label}</figcaption>
  </figure>`;
}

/** Grouped horizontal bars: one group per dimension, one bar per model; labelled for screen readers. */
export function ScoreBars({
  rows,
  models,
  title = 'Scores per dimension',
}: {
  rows: { dimension: string; scores: Record<string, number | undefined> }[];
  models: string[];
  title?: string;
}) {
  const colors = ['#8a93a3', '#2456c9', '#1a7f37', '#b54708'];
  const summary = rows
    .map((r) => `${r.dimension}: ${models.map((m) => `${m} ${pct(r.scores[m])}`).join(', ')}`)
    .join('; ');
  return html`<figure class="chart bars" role="img" aria-label=${`${title} (0 to 1). ${summary}`}>
    <div class="legend">${models.map(
      (m, i) => html`<span><i style=${`background:${colors[i % colors.length]}`}></i>${m}</span>`,
    )}</div>
    ${rows.map(
      (r) => html`<div class="bar-group">
        <div class="bar-label">${r.dimension}</div>
        ${models.map(
          (m, i) => html`<div class="bar-row">
            <div class="bar" style=${`width:${Math.round((r.scores[m] ?? 0) * 100)}%;background:${colors[i % colors.length]}`}></div>
            <span>${pct(r.scores[m])}</span>
          </div>`,
        )}
      </div>`,
    )}
    <figcaption>${title}, 0 to 1, per model</figcaption>
  </figure>`;
}
