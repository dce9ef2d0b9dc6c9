import type { IncomingMessage, ServerResponse } from 'node:http';
import { TunekitError } from '../errors.ts';
import { parseFaultConfig } from './faults/fault-config.ts';
import type { FaultInjector } from './faults/fault-injector.ts';

/**
 * Unsigned admin endpoints under /_tunekit/: `GET health`, `GET|POST|DELETE faults` (change fault injection
 * while the stack runs, e.g. from a benchmark).
 */
export function createAdminHandler(options: {
  faults: FaultInjector;
  health: () => Record<string, unknown>;
}) {
  const send = (res: ServerResponse, status: number, value: unknown) => {
    const body = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '').split('?')[0];
    if (path === '/_tunekit/health' && req.method === 'GET') return send(res, 200, options.health());
    if (path === '/_tunekit/faults') {
      if (req.method === 'GET') return send(res, 200, options.faults.get());
      if (req.method === 'DELETE') {
        options.faults.set({ rules: [] });
        return send(res, 200, options.faults.get());
      }
      if (req.method === 'POST' || req.method === 'PUT') {
        try {
          const config = parseFaultConfig(
            JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
            'POST /_tunekit/faults',
          );
          options.faults.set(config);
          return send(res, 200, config);
        } catch (error) {
          const message =
            error instanceof TunekitError ? error.message : `invalid JSON: ${(error as Error).message}`;
          return send(res, 400, { message });
        }
      }
    }
    return send(res, 404, {
      message: `unknown admin endpoint ${req.method} ${path}; try GET /_tunekit/health`,
    });
  };
}
