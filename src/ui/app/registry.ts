/// <reference lib="dom" />
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, post, READ_ONLY, useApi } from './api.ts';
import { ComparePicker } from './compare.ts';
import { ErrorBox, html, pct, Show, Status, when } from './components.ts';
import { Cost } from './money.ts';
import type { HistoryEvent, Listing, ProductionCost, VersionRow } from './types.ts';
import { versionHref } from './version.ts';

/**
 * The registry: versions with aliases, the history (who, when, why), and promote/rollback — POSTs the
 * server hands to the same library functions as `tunekit registry promote|rollback`.
 */

export function VersionsTable({ listing, onAct }: { listing: Listing; onAct?: (a: Pending) => void }) {
  if (listing.versions.length === 0)
    return html`<p>No versions registered yet: a run that passes evaluation registers one.</p>`;
  const production = listing.aliases.production;
  return html`<div class="scroll"><table>
    <caption class="sr-only">Registered versions of ${listing.name}</caption>
    <thead><tr><th scope="col">Version</th><th scope="col">Aliases</th><th scope="col">Overall</th><th scope="col">Gate</th><th scope="col">Base model</th><th scope="col">Registered (UTC)</th>${onAct ? html`<th scope="col">Action</th>` : null}</tr></thead>
    <tbody>${[...listing.versions].reverse().map(
      (v) => html`<tr data-version=${v.version}>
        <th scope="row"><a href=${versionHref(v.version)}>${v.version}</a></th>
        <td>${v.aliases.map((a) => html`<span class="alias">${a}</span> `)}</td>
        <td>${pct(v.overallScore)}</td>
        <td>${v.gatePassed === undefined ? '' : html`<${Status} status=${v.gatePassed ? 'pass' : 'fail'} />`}</td>
        <td class="mono">${v.baseModelId}</td>
        <td>${when(v.registeredAt)}</td>
        ${
          onAct
            ? html`<td>${
                v.version === production
                  ? ''
                  : html`<button type="button" onClick=${() => onAct({ kind: 'promote', version: v.version, row: v, from: production })}>Promote ${v.version}…</button>`
              }</td>`
            : null
        }
      </tr>`,
    )}</tbody>
  </table></div>`;
}

interface Pending {
  kind: 'promote' | 'rollback';
  version?: string;
  row?: VersionRow;
  from?: string;
}

/** The confirmation: what will change, a required reason, and (for a failed gate) an explicit force. */
function Confirm({
  pending,
  onDone,
  onCancel,
}: {
  pending: Pending;
  onDone: (msg: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [force, setForce] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);
  const gateFailed = pending.kind === 'promote' && pending.row?.gatePassed === false;
  const cost = useApi<ProductionCost>(
    `/api/registry/cost?to=${encodeURIComponent(pending.kind === 'promote' ? (pending.version ?? '') : 'previous')}`,
  );
  const change =
    pending.kind === 'promote'
      ? `production: ${pending.from ?? '(none)'} → ${pending.version}; previous: ${pending.from ?? '(none)'}`
      : 'production goes back to the previous production version';
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await post<{ changed: boolean; production: string }>(
        `/api/actions/${pending.kind}`,
        pending.kind === 'promote' ? { version: pending.version, reason, force } : { reason },
      );
      onDone(
        result.changed
          ? `production is now ${result.production}`
          : `${result.production} was already production; nothing changed`,
      );
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="confirm" role="dialog" aria-labelledby="confirm-h" onSubmit=${submit}
      onKeyDown=${(e: KeyboardEvent) => e.key === 'Escape' && onCancel()}>
    <h2 id="confirm-h">${pending.kind === 'promote' ? `Promote ${pending.version}` : 'Roll back production'}</h2>
    <p>${change}</p>
    <div class="cost-change">${Show(cost, (c) =>
      c.enabled && c.to
        ? html`<p>Production deployment <span class="mono">${c.name}</span> will serve ${c.to.version} (${c.to.mode}): <${Cost} cost=${c.to.hourly} /></p>
          ${c.from ? html`<p>Now it serves ${c.from.version} (${c.from.mode}): <${Cost} cost=${c.from.hourly} /></p>` : null}`
        : html`<p>No production deployment is configured (<code>deployment.production.enabled</code>): only the aliases move; nothing starts or stops billing.</p>`,
    )}</div>
    ${gateFailed ? html`<label class="warn"><input type="checkbox" checked=${force} onChange=${(e: Event) => setForce((e.target as HTMLInputElement).checked)} /> Its evaluation gate failed: promote anyway (recorded as forced)</label>` : null}
    <label for="reason">Reason (recorded in the history)</label>
    <textarea id="reason" ref=${field} required rows="2" value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLTextAreaElement).value)}></textarea>
    ${error ? html`<${ErrorBox} error=${error} />` : null}
    <p><button type="submit" disabled=${busy || !reason.trim()}>${busy ? 'Working…' : `Confirm ${pending.kind}`}</button>
      <button type="button" onClick=${onCancel}>Cancel</button></p>
  </form>`;
}

export function HistoryTable({ events }: { events: HistoryEvent[] }) {
  const shown = events.filter((e) => e.action !== 'reserve').reverse();
  if (shown.length === 0) return html`<p>No history yet.</p>`;
  return html`<div class="scroll"><table class="history">
    <caption class="sr-only">Registry history, newest first</caption>
    <thead><tr><th scope="col">#</th><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Why</th></tr></thead>
    <tbody>${shown.map(
      (e) => html`<tr>
        <td>${e.revision}</td><td>${when(e.at)}</td><td>${e.actor}</td>
        <td>${e.action} ${e.version}${e.from ? ` (was ${e.from})` : ''}${e.forced ? ' — forced past a failed gate' : ''}</td>
        <td>${e.reason ?? ''}</td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}

export function RegistryPage() {
  const listing = useApi<Listing>('/api/registry');
  const history = useApi<HistoryEvent[]>('/api/registry/history');
  const [pending, setPending] = useState<Pending>();
  const [done, setDone] = useState<string>();
  const act = READ_ONLY
    ? undefined
    : (p: Pending) => {
        setDone(undefined);
        setPending(p);
      };
  return html`<section aria-labelledby="reg-h">
    <h1 id="reg-h">Registry</h1>
    ${READ_ONLY ? html`<p class="muted">Read-only dashboard: promote and rollback are off (restart without --read-only).</p>` : null}
    ${done ? html`<p class="notice" role="status">${done}</p>` : null}
    ${
      pending
        ? html`<${Confirm} pending=${pending} onCancel=${() => setPending(undefined)}
        onDone=${(msg: string) => {
          setPending(undefined);
          setDone(msg);
          listing.reload();
          history.reload();
        }} />`
        : null
    }
    ${Show(
      listing,
      (l) => html`<${VersionsTable} listing=${l} onAct=${act} />
      ${act && l.aliases.previous ? html`<p><button type="button" onClick=${() => act({ kind: 'rollback' })}>Roll back to ${l.aliases.previous}…</button></p>` : null}
      <h2 id="cmp-pick-h">Compare two versions</h2>
      <${ComparePicker} listing=${l} />`,
    )}
    <section aria-labelledby="hist-h"><h2 id="hist-h">History</h2>
      ${Show(history, (events) => html`<${HistoryTable} events=${events} />`)}
    </section>
  </section>`;
}
