/// <reference lib="dom" />
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useApi, usePoll } from './api.ts';
import { ComparePage } from './compare.ts';
import { html, Show } from './components.ts';
import { EvaluationPage } from './evaluation.ts';
import { MoneyPage } from './money.ts';
import { RegistryPage, VersionsTable } from './registry.ts';
import { anyRunning, RunPage, RunsPage, RunsTable } from './runs.ts';
import type { Listing, RunListPage } from './types.ts';
import { VersionPage } from './version.ts';

/**
 * The dashboard app: hash routes (#/runs/<name>, #/evaluations/<name>, #/registry, #/compare/<a>/<b>),
 * one page each.
 */

interface SessionInfo {
  project: string;
  readOnly: boolean;
  source: string;
}

function Home() {
  const runs = useApi<RunListPage>('/api/runs?limit=10');
  usePoll(runs, (p) => anyRunning(p.runs));
  const listing = useApi<Listing>('/api/registry');
  return html`<h1 class="sr-only">Overview</h1>
    <section aria-labelledby="latest-h"><h2 id="latest-h">Latest runs</h2>
      ${Show(runs, (r) => html`<${RunsTable} runs=${r.runs} />`)}
      <p><a href="#/runs">All runs</a></p>
    </section>
    <section aria-labelledby="versions-h"><h2 id="versions-h">Registry versions</h2>
      ${Show(listing, (l) => html`<${VersionsTable} listing=${l} />`)}
      <p><a href="#/registry">Registry and history</a></p>
    </section>`;
}

function route(hash: string) {
  const [, page = '', arg, arg2] = hash.replace(/^#/, '').split('/');
  const name = arg ? decodeURIComponent(arg) : '';
  if (page === 'compare' && name && arg2) {
    const other = decodeURIComponent(arg2);
    return html`<${ComparePage} key=${`${name}/${other}`} a=${name} b=${other} />`;
  }
  if (page === 'runs' && name) return html`<${RunPage} key=${name} name=${name} />`;
  if (page === 'runs') return html`<${RunsPage} />`;
  if (page === 'evaluations' && name) return html`<${EvaluationPage} key=${name} name=${name} />`;
  if (page === 'registry' && name) return html`<${VersionPage} key=${name} version=${name} />`;
  if (page === 'registry') return html`<${RegistryPage} />`;
  if (page === 'money') return html`<${MoneyPage} />`;
  return html`<${Home} />`;
}

function App() {
  const [hash, setHash] = useState(location.hash);
  const session = useApi<SessionInfo>('/api/session');
  useEffect(() => {
    const on = () => {
      setHash(location.hash);
      // Move focus to the new page's heading, so keyboard and screen-reader users land on it.
      requestAnimationFrame(() => {
        const heading = document.querySelector<HTMLElement>('main h1');
        heading?.setAttribute('tabindex', '-1');
        heading?.focus();
      });
    };
    addEventListener('hashchange', on);
    // A hash that changed between the first render and this effect (a fast navigation) is not missed.
    setHash(location.hash);
    return () => removeEventListener('hashchange', on);
  }, []);
  const current = hash.replace(/^#\/?/, '').split('/')[0] ?? '';
  const link = (href: string, label: string, key: string) =>
    html`<a href=${href} aria-current=${current === key ? 'page' : undefined}>${label}</a>`;
  return html`<a class="skip" href="#main" onClick=${(e: Event) => {
    e.preventDefault();
    document.getElementById('main')?.focus();
  }}>Skip to content</a>
    <header><nav aria-label="Main">
      <strong class="brand">tunekit${session.data ? html` · ${session.data.project}` : null}</strong>
      ${link('#/', 'Overview', '')} ${link('#/runs', 'Runs', 'runs')} ${link('#/registry', 'Registry', 'registry')} ${link('#/money', 'Money', 'money')}
    </nav>
    ${Show(session, (s) => html`<p class="source">Reading ${s.source}${s.readOnly ? ' · read-only' : ''}</p>`)}
    </header>
    <main id="main" tabindex="-1">${route(hash)}</main>`;
}

const root = document.getElementById('app')!;
root.textContent = ''; // the server's "Loading…" placeholder; preact's render() appends to what is there
render(html`<${App} />`, root);
