import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the dashboard, decided once per request before any data is read.
 *
 * - A random token is printed with the URL (as Jupyter does). The first request presents it as `?token=`;
 *   the server answers with an HttpOnly, SameSite=Strict cookie, so later requests (and the app's fetches)
 *   carry it without the token sitting in every URL. Other local users and other web pages do not know it.
 * - The Host header must name this server (127.0.0.1 / localhost / [::1] on its port): a page on a
 *   rebound DNS name that resolves to 127.0.0.1 is refused (DNS rebinding).
 * - State-changing requests are POSTs carrying the CSRF token in a header, which only the app's own
 *   script can read (a form on another site cannot set headers) — on top of the SameSite cookie.
 * - `--read-only` refuses every action, whatever the request carries.
 */

export const COOKIE = 'tunekit_ui_token';
export const CSRF_HEADER = 'x-tunekit-csrf';

export interface Session {
  token: string;
  csrf: string;
  port: number;
  readOnly: boolean;
}

export function newSession(port: number, readOnly: boolean): Session {
  return { token: randomBytes(24).toString('hex'), csrf: randomBytes(24).toString('hex'), port, readOnly };
}

export interface Refusal {
  status: 400 | 403 | 405;
  title: string;
  message: string;
  fix: string;
}

export type Verdict = { ok: true; setCookie: boolean } | ({ ok: false } & Refusal);

const same = (a: string | undefined, b: string) =>
  a !== undefined && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

export const sessionCookie = (s: Session) => `${COOKIE}=${s.token}; HttpOnly; SameSite=Strict; Path=/`;

/** The rules above, in order: host, token, then (for actions) method, read-only and CSRF. */
export function checkRequest(req: IncomingMessage, s: Session, url: URL, isAction: boolean): Verdict {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!allowedHosts(s.port).includes(host)) {
    return {
      ok: false,
      status: 403,
      title: 'Wrong host',
      message: `this dashboard answers only to 127.0.0.1:${s.port} or localhost:${s.port}, not "${host || '(no Host header)'}"`,
      fix: `open the URL \`tunekit ui\` printed (http://127.0.0.1:${s.port}/?token=…)`,
    };
  }
  const fromQuery = url.searchParams.get('token') ?? undefined;
  const fromCookie = cookieValue(req.headers.cookie, COOKIE);
  const queryOk = same(fromQuery, s.token);
  if (!queryOk && !same(fromCookie, s.token)) {
    return {
      ok: false,
      status: 403,
      title: 'Token required',
      message:
        fromQuery || fromCookie ? 'the token does not match this dashboard' : 'this request has no token',
      fix: 'open the full URL `tunekit ui` printed, including ?token=…; a restarted `tunekit ui` prints a new one',
    };
  }
  if (isAction) {
    if (req.method !== 'POST') {
      return {
        ok: false,
        status: 405,
        title: 'Actions are POST requests',
        message: `${req.method} ${url.pathname} changes nothing`,
        fix: 'use the buttons in the dashboard',
      };
    }
    if (s.readOnly) {
      return {
        ok: false,
        status: 403,
        title: 'Read-only dashboard',
        message: 'this dashboard was started with --read-only: it shows, it does not act',
        fix: 'restart it without --read-only, or use the CLI (tunekit registry promote|rollback)',
      };
    }
    const csrf = req.headers[CSRF_HEADER];
    if (!same(typeof csrf === 'string' ? csrf : undefined, s.csrf)) {
      return {
        ok: false,
        status: 403,
        title: 'Missing CSRF token',
        message: `POST ${url.pathname} without the dashboard's CSRF token (header ${CSRF_HEADER})`,
        fix: 'reload the dashboard page and try again from its buttons',
      };
    }
  }
  return { ok: true, setCookie: queryOk && !same(fromCookie, s.token) };
}
