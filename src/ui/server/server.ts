import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_JANITOR_MAX_AGE_MINUTES } from '../../bedrock/sweep.ts';
import { isTunekitError } from '../../errors.ts';
import type { AppBundle } from './bundle.ts';
import type { UiData } from './data.ts';

/** The Money page's janitor age: up to a week, in minutes. */
const MAX_JANITOR_AGE = 7 * 24 * 60;

import { checkRequest, newSession, type Refusal, type Session, sessionCookie } from './security.ts';

/**
 * The dashboard's HTTP server: 127.0.0.1 only, every request checked by security.ts, a JSON API over
 * UiData and the bundled app. Errors are JSON `{error: {code, message, fix}}` the app shows as they are.
 */

export interface UiServerOptions {
  data: UiData;
  bundle: AppBundle;
  port?: number;
  readOnly?: boolean;
  /** Shown on the home page: where the data comes from (stack.ts). */
  source: string;
}

export interface UiServer {
  server: Server;
  port: number;
  session: Session;
  /** The URL to open, with the token. */
  url: string;
  close(): Promise<void>;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  // Everything is served from here; nothing from a CDN.
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
};

function refusalPage(r: Refusal): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(r.title)} · tunekit</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1d2330}
h1{color:#b42318}code{background:#f1f3f6;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><main><h1>${esc(r.title)}</h1><p>${esc(r.message)}.</p><p><strong>Fix:</strong> ${esc(r.fix)}.</p></main></body></html>`;
}

function shell(s: Session): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="tunekit-csrf" content="${s.csrf}"><meta name="tunekit-read-only" content="${s.readOnly}">
<title>tunekit dashboard</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><div id="app"><p>Loading…</p></div><noscript>The dashboard needs JavaScript; the CLI shows the same data (tunekit runs list).</noscript>
<script type="module" src="/assets/app.js"></script></body></html>`;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fix: string,
    readonly code = 'UI.BAD_REQUEST',
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new HttpError(413, 'request body over 64 KiB', 'send a shorter reason');
    chunks.push(chunk as Buffer);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {}
  throw new HttpError(400, 'the request body is not a JSON object', 'send {"reason": "…"} as JSON');
}

const ACTIONS = ['promote', 'rollback', 'stop', 'run'];

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Status and body for an error: ours carry a code and a hint; SDK errors their name and message. */
function errorBody(error: unknown, source: string): { status: number; body: unknown } {
  if (error instanceof HttpError)
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, fix: error.fix } },
    };
  if (isTunekitError(error)) {
    const notFound = /NOT_FOUND|NO_RUN|NO_EVALUATION|NO_REPORT|UNKNOWN/.test(error.code);
    return {
      status: notFound ? 404 : 400,
      body: { error: { code: error.code, message: error.message, fix: error.hint ?? '' } },
    };
  }
  const e = error as Error & { $metadata?: { httpStatusCode?: number } };
  return {
    status: 502,
    body: {
      error: {
        code: `AWS.${e.name ?? 'Error'}`,
        message: `${e.name ?? 'Error'}: ${e.message}`,
        fix: `check that ${source} is reachable (for the local stack: \`tunekit watch\` or \`tunekit local start\` in this project)`,
      },
    },
  };
}

export async function startUiServer(o: UiServerOptions): Promise<UiServer> {
  let session: Session = newSession(0, Boolean(o.readOnly));
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res
      .writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' })
      .end(JSON.stringify(body));

  const api = async (req: IncomingMessage, url: URL): Promise<unknown> => {
    const parts = url.pathname.split('/').slice(2).map(decodeURIComponent); // after /api/
    const [head, second, third] = parts;
    if (req.method === 'GET') {
      if (head === 'session' && !second)
        return { project: o.data.project, readOnly: session.readOnly, source: o.source };
      if (head === 'runs' && !second) {
        const limit = Number(url.searchParams.get('limit') ?? '25');
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
          throw new HttpError(
            400,
            `limit must be 1..1000, got "${url.searchParams.get('limit')}"`,
            'e.g. ?limit=25',
          );
        const next = url.searchParams.get('next') || undefined;
        return o.data.runs(limit, next);
      }
      if (head === 'runs' && second && !third) return o.data.run(second);
      if (head === 'pipeline' && !second) return o.data.pipeline(url.searchParams.get('run') || undefined);
      if (head === 'evaluations' && second && !third) return o.data.evaluation(second);
      if (head === 'registry' && !second) return o.data.registry();
      if (head === 'registry' && second === 'history' && !third) return o.data.history();
      if (head === 'registry' && second === 'versions' && third && parts.length === 3)
        return o.data.version(third);
      if (head === 'registry' && second === 'cost' && !third) {
        const to = url.searchParams.get('to')?.trim();
        if (!to)
          throw new HttpError(400, 'which version? "to" is missing', 'e.g. /api/registry/cost?to=v1.1');
        return o.data.productionCost(to);
      }
      if (head === 'data' && !second) return o.data.trainingData();
      if (head === 'money' && !second) {
        const raw = url.searchParams.get('maxAge');
        const maxAge = raw === null || raw === '' ? undefined : Number(raw);
        if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge >= 0 && maxAge <= MAX_JANITOR_AGE))
          throw new HttpError(
            400,
            `maxAge must be whole minutes from 0 to ${MAX_JANITOR_AGE}, got "${raw}"`,
            `e.g. ?maxAge=${DEFAULT_JANITOR_MAX_AGE_MINUTES} (the janitor's default)`,
          );
        return o.data.money(maxAge);
      }
      if (head === 'compare' && !second) {
        const a = url.searchParams.get('a')?.trim();
        const b = url.searchParams.get('b')?.trim();
        if (!a || !b)
          throw new HttpError(
            400,
            `compare needs two versions, got a=${a ? `"${a}"` : '(none)'} b=${b ? `"${b}"` : '(none)'}`,
            'e.g. /api/compare?a=v1.0&b=v1.1 (versions or aliases: production, previous)',
          );
        return o.data.compare(a, b);
      }
    }
    throw new HttpError(
      404,
      `no API ${req.method} ${url.pathname}`,
      'see docs/ui.md for the API',
      'UI.NOT_FOUND',
    );
  };

  const action = async (url: URL, body: Record<string, unknown>): Promise<unknown> => {
    if (url.pathname === '/api/actions/run') {
      const key = text(body.key);
      if (!key)
        throw new HttpError(
          400,
          'which training file? "key" is missing',
          'e.g. {"key": "training-data/train.jsonl"}',
        );
      return o.data.start(key, body.force === true);
    }
    const reason = text(body.reason);
    if (!reason) throw new HttpError(400, 'a reason is required', 'say why (it is recorded with the change)');
    if (url.pathname === '/api/actions/promote') {
      const version = text(body.version);
      if (!version)
        throw new HttpError(400, 'which version? "version" is missing', 'e.g. {"version": "v1.2"}');
      return o.data.promote(version, reason, body.force === true);
    }
    if (url.pathname === '/api/actions/stop') {
      const run = text(body.run);
      if (!run) throw new HttpError(400, 'which run? "run" is missing', 'e.g. {"run": "s3-train-…"}');
      return o.data.stop(run, reason);
    }
    return o.data.rollback(text(body.to) || undefined, reason);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isAction = url.pathname.startsWith('/api/actions/');
    const verdict = checkRequest(req, session, url, isAction);
    if (!verdict.ok) {
      const { ok: _, ...refusal } = verdict;
      if (url.pathname.startsWith('/api/'))
        return json(res, verdict.status, {
          error: { code: 'UI.REFUSED', message: `${refusal.title}: ${refusal.message}`, fix: refusal.fix },
        });
      return res
        .writeHead(verdict.status, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' })
        .end(refusalPage(refusal));
    }
    const cookie = verdict.setCookie ? { 'set-cookie': sessionCookie(session) } : {};
    if (url.searchParams.has('token') && req.method === 'GET') {
      // Keep the token out of the address bar and history once the cookie holds it.
      url.searchParams.delete('token');
      return res.writeHead(303, { ...cookie, location: `${url.pathname}${url.search}` }).end();
    }
    try {
      if (isAction) {
        if (!ACTIONS.includes(url.pathname.slice('/api/actions/'.length)))
          throw new HttpError(
            404,
            `no action ${url.pathname}`,
            `actions: ${ACTIONS.join(', ')}`,
            'UI.NOT_FOUND',
          );
        return json(res, 200, await action(url, await readJson(req)));
      }
      if (url.pathname.startsWith('/api/')) return json(res, 200, await api(req, url));
      if (req.method !== 'GET') throw new HttpError(405, `${req.method} ${url.pathname}`, 'pages are GET');
      if (url.pathname.startsWith('/assets/')) {
        const file = o.bundle.files[url.pathname.slice('/assets/'.length)];
        if (!file) throw new HttpError(404, `no asset ${url.pathname}`, 'reload the page', 'UI.NOT_FOUND');
        return res
          .writeHead(200, { ...SECURITY_HEADERS, ...cookie, 'content-type': file.type })
          .end(file.body);
      }
      return res
        .writeHead(200, { ...SECURITY_HEADERS, ...cookie, 'content-type': 'text/html; charset=utf-8' })
        .end(shell(session));
    } catch (error) {
      const { status, body } = errorBody(error, o.source);
      return json(res, status, body);
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error) => {
      if (!res.headersSent) json(res, 500, errorBody(error, o.source).body);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  session = { ...newSession(port, Boolean(o.readOnly)) };
  return {
    server,
    port,
    session,
    url: `http://127.0.0.1:${port}/?token=${session.token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
