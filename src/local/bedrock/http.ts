import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BedrockError, validation } from './errors.ts';

/** restJson1 plumbing shared by the control plane and the runtime. */

const MAX_BODY = 25_000_000; // InvokeModel's body limit; nothing else comes close.

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw validation(`Request body exceeds ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON object body; an empty body is `{}` (GET/DELETE). */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BedrockError('ValidationException', 'Request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw validation('Request body must be a JSON object');
  return value as Record<string, unknown>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
) {
  const body = Buffer.from(JSON.stringify(value ?? {}));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(body.length),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(body);
}

export function sendError(res: ServerResponse, error: BedrockError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, { message: error.message }, { 'x-amzn-errortype': error.type });
}

/** Splits the raw path into decoded segments (SDKs percent-encode ARNs in path labels: `%3A`, `%2F`). */
export function pathSegments(url: string): string[] {
  const path = url.split('?')[0] ?? '/';
  return path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}
