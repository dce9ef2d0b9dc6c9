/// <reference lib="dom" />
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, useApi } from './api.ts';
import { duration, ErrorBox, html, Show } from './components.ts';
import { type NodeView, nodeLabel, takenEdges, viewOf } from './run-graph.ts';
import type { PipelineGraph, RunDetail, StateRow } from './types.ts';

/**
 * The run page's drawing of the state machine: the deployed definition's states and transitions
 * (/api/pipeline), laid out by dagre (loaded with the first run page: a chunk of its own, so the other
 * pages do not carry it), drawn as SVG. Each state is coloured by its status in this run, with
 * its time and, when it failed, its error; the transitions the run followed are drawn heavier. The states
 * table under it says the same in rows (the detailed view for screen readers).
 */

const W_CHAR = 7.2; // px per character of the 12px node label (system-ui), a safe over-estimate
const NODE_H = 44;
const ERROR_H = 16;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

interface Laid {
  width: number;
  height: number;
  nodes: (NodeView & { x: number; y: number; w: number; h: number })[];
  edges: { from: string; to: string; kind: string; taken: boolean; d: string }[];
}

type Dagre = typeof import('@dagrejs/dagre');

/** Positions of the states and the normal transitions: depend on the graph and which nodes show an error. */
interface Placed {
  width: number;
  height: number;
  pos(name: string): { x: number; y: number; width: number; height: number };
  points(from: string, to: string): { x: number; y: number }[];
}

function place({ Graph, layout }: Dagre, graph: PipelineGraph, errored: ReadonlySet<string>): Placed {
  const g = new Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 18, ranksep: 34, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const { name } of graph.nodes) {
    const w = Math.max(110, Math.ceil(name.length * W_CHAR) + 24);
    g.setNode(name, { width: w, height: NODE_H + (errored.has(name) ? ERROR_H : 0) });
  }
  // Catch edges (every task's to Teardown) stay out of the layout, which then keeps the happy path
  // straight; they are drawn along a lane on the right, into Teardown's side.
  for (const e of graph.edges) if (e.kind !== 'catch') g.setEdge(e.from, e.to);
  layout(g);
  return {
    width: Math.ceil(g.graph().width ?? 0),
    height: Math.ceil(g.graph().height ?? 0),
    pos: (name) => g.node(name) as { x: number; y: number; width: number; height: number },
    points: (from, to) => g.edge(from, to)?.points ?? [],
  };
}

/** This run's view on the placed graph: statuses, times, errors and the transitions taken (cheap). */
function lay(placed: Placed, graph: PipelineGraph, states: StateRow[]): Laid {
  const views = viewOf(graph, states);
  const taken = takenEdges(states);
  const lane = placed.width + 12;
  const { pos } = placed;
  const f = (n: number) => n.toFixed(1);
  return {
    width: placed.width + 28,
    height: placed.height,
    nodes: views.map((v) => {
      const n = pos(v.name);
      return { ...v, x: n.x, y: n.y, w: n.width, h: n.height };
    }),
    edges: graph.edges.map((e) => {
      let d: string;
      if (e.kind === 'catch') {
        const a = pos(e.from);
        const b = pos(e.to);
        d = `M${f(a.x + a.width / 2)} ${f(a.y)} H${lane} V${f(b.y)} H${f(b.x + b.width / 2)}`;
      } else {
        d = placed
          .points(e.from, e.to)
          .map((p, i) => `${i ? 'L' : 'M'}${f(p.x)} ${f(p.y)}`)
          .join(' ');
      }
      return { ...e, taken: taken.has(`${e.from}>${e.to}`), d };
    }),
  };
}

export function PipelineDrawing({ run }: { run: RunDetail }) {
  // The run's own definition: the state machine may have changed since this run started.
  const graph = useApi<PipelineGraph>(`/api/pipeline?run=${encodeURIComponent(run.name)}`);
  return html`<section aria-labelledby="machine-h">
    <h2 id="machine-h">State machine</h2>
    ${Show(graph, (g) => html`<${Drawing} graph=${g} run=${run} />`)}
  </section>`;
}

function Drawing({ graph, run }: { graph: PipelineGraph; run: RunDetail }) {
  const [dagre, setDagre] = useState<Dagre>();
  const [failed, setFailed] = useState<string>();
  useEffect(() => {
    import('@dagrejs/dagre').then(setDagre, (e: Error) => setFailed(e.message));
  }, []);
  // The layout (dagre) runs again only when the graph or the set of errored states changes, not on
  // every poll of a running run; the statuses and times are laid on top.
  const errored = viewOf(graph, run.states)
    .filter((v) => v.error)
    .map((v) => v.name)
    .join('\n');
  const placed = useMemo(
    () => dagre && place(dagre, graph, new Set(errored ? errored.split('\n') : [])),
    [dagre, graph, errored],
  );
  const laid = useMemo(() => placed && lay(placed, graph, run.states), [placed, graph, run.states]);
  if (failed)
    return html`<${ErrorBox} error=${new ApiError(`the drawing's layout did not load: ${failed}`, 'reload the page; the table below lists the states', 0)} />`;
  if (!laid) return html`<p class="muted">Drawing…</p>`;
  return html`<${Svg} laid=${laid} run=${run} />`;
}

function Svg({ laid, run }: { laid: Laid; run: RunDetail }) {
  const reached = laid.nodes.filter((n) => n.status !== 'not reached').length;
  const bad = laid.nodes.filter((n) => n.status === 'failed' || n.status === 'caught').map((n) => n.name);
  const description = `${laid.nodes.length} states and ${laid.edges.length} transitions; this run (${run.status}) reached ${reached}${
    bad.length ? `; failed or caught: ${bad.join(', ')}` : ''
  }. Each state is a focusable node that says its status and time; the table below lists the same.`;
  return html`<div class="scroll machine">
    <svg class="pipeline" role="group" aria-labelledby="machine-title machine-desc" width=${laid.width} height=${laid.height}
      viewBox=${`0 0 ${laid.width} ${laid.height}`} xmlns="http://www.w3.org/2000/svg">
      <title id="machine-title">The pipeline's state machine, coloured by this run</title>
      <desc id="machine-desc">${description}</desc>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0 0 L10 5 L0 10 z" fill="#8a93a3" /></marker>
        <marker id="arrow-taken" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
          <path d="M0 0 L10 5 L0 10 z" fill="#14213d" /></marker>
      </defs>
      <g aria-hidden="true">${laid.edges.map(
        (
          e,
        ) => html`<path class=${`edge ${e.kind}${e.taken ? ' taken' : ''}`} data-from=${e.from} data-to=${e.to} d=${e.d}
          marker-end=${e.taken ? 'url(#arrow-taken)' : 'url(#arrow)'} />`,
      )}</g>
      ${laid.nodes.map((n) => {
        const label = nodeLabel(n);
        const sub =
          n.status === 'not reached'
            ? 'not reached'
            : `${n.status} · ${duration(n.tookMs)}${n.visits > 1 ? ` · ${n.visits}×` : ''}`;
        return html`<g class=${`node ${n.status.replace(' ', '-')}`} data-state=${n.name} data-status=${n.status}
          tabindex="0" role="img" aria-label=${label} transform=${`translate(${(n.x - n.w / 2).toFixed(1)} ${(n.y - n.h / 2).toFixed(1)})`}>
          <title>${label}</title>
          <rect width=${n.w} height=${n.h} rx=${n.type === 'Choice' ? 14 : 5} />
          <text x=${n.w / 2} y="18" class="name">${n.name}</text>
          <text x=${n.w / 2} y="35" class="sub">${sub}</text>
          ${n.error ? html`<text x=${n.w / 2} y="52" class="err">${clip(n.error, Math.floor(n.w / 6.5))}</text>` : null}
        </g>`;
      })}
    </svg>
    <p class="legend machine-legend" aria-hidden="true">
      <span><i class="succeeded"></i>succeeded</span><span><i class="running"></i>running</span>
      <span><i class="failed"></i>failed</span><span><i class="caught"></i>caught (went to Teardown)</span>
      <span><i class="not-reached"></i>not reached</span><span><b class="taken-line"></b>path the run took</span>
    </p>
  </div>`;
}
