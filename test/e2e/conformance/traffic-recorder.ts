import { appendFileSync } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ServiceHandler } from '../../../src/local/server.ts';

/**
 * Wraps a service handler so that every response it sends is appended to a JSON-lines file with the request
 * line that caused it — how the conformance check sees the pipeline's own SDK calls (made from inside the
 * stack process with the exact inputs tunekit uses), not only the ones its boto3 driver makes.
 */

const MAX_BODY = 1024 * 1024;

type Chunk = string | Uint8Array | undefined | ((error?: Error | null) => void);

export function recording(service: string, handler: ServiceHandler, file: string): ServiceHandler {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    let headHeaders: OutgoingHttpHeaders = {};
    const keep = (chunk: Chunk, encoding?: unknown) => {
      if (chunk === undefined || typeof chunk === 'function') return;
      const b =
        typeof chunk === 'string'
          ? Buffer.from(chunk, (encoding as BufferEncoding) ?? 'utf8')
          : Buffer.from(chunk);
      size += b.length;
      if (size > MAX_BODY) truncated = true;
      else chunks.push(b);
    };
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((...args: unknown[]) => {
      const headers = args.find((a, i) => i > 0 && typeof a === 'object' && a !== null);
      if (Array.isArray(headers)) {
        for (let i = 0; i + 1 < headers.length; i += 2)
          headHeaders[String(headers[i]).toLowerCase()] = headers[i + 1];
      } else if (headers) {
        headHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
      }
      return writeHead(...args);
    }) as ServerResponse['writeHead'];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    res.write = ((chunk: Chunk, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as ServerResponse['write'];
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((chunk?: Chunk, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries({ ...res.getHeaders(), ...headHeaders })) {
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
      }
      appendFileSync(
        file,
        `${JSON.stringify({
          service,
          method: req.method,
          url: req.url,
          target: req.headers['x-amz-target'],
          userAgent: req.headers['user-agent'] ?? req.headers['x-amz-user-agent'],
          requestHeaders: Object.keys(req.headers),
          status: res.statusCode,
          headers,
          body: truncated ? null : Buffer.concat(chunks).toString('base64'),
        })}\n`,
      );
      return end(chunk, ...rest);
    }) as ServerResponse['end'];
    return handler(req, res);
  };
}
