import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readCredentialScope } from './sigv4-scope.ts';

export type ServiceHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface LocalServer {
  readonly port: number;
  readonly endpoint: string;
  /**
   * Plugs a service in by its SigV4 signing name (`s3`, `bedrock`, `states`, ...). `bedrock-runtime` receives
   * the `bedrock`-signed requests whose path is `/model/{id}/(invoke|converse|...)`.
   */
  registerService(name: string, handler: ServiceHandler): void;
  services(): string[];
  close(): Promise<void>;
}

const RUNTIME_PATH = /^\/model\/[^/]+\/(invoke|converse|invoke-with-response-stream|converse-stream)(\?|$)/;

function sendJsonError(res: ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ __type: type, message });
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': type,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * One node:http server on 127.0.0.1 for the whole local stack. Requests are routed by the service in their
 * SigV4 credential scope (Authorization header or presigned X-Amz-Credential), so one endpoint serves every
 * AWS SDK client; unsigned `/_tunekit/*` requests go to the admin handler (health, faults).
 */
export async function startServer(options: {
  port: number;
  host?: string;
  admin: ServiceHandler;
  log?: (line: string) => void;
}): Promise<LocalServer> {
  const handlers = new Map<string, ServiceHandler>();
  const log = options.log ?? (() => {});

  const route = (req: IncomingMessage): ServiceHandler | undefined | 'unsigned' | 'unknown' => {
    const scope = readCredentialScope(req);
    const url = req.url ?? '/';
    if (!scope) return url.startsWith('/_tunekit/') ? options.admin : 'unsigned';
    let name = scope.service;
    if (name === 'bedrock' && RUNTIME_PATH.test(url)) name = 'bedrock-runtime';
    return handlers.get(name) ?? 'unknown';
  };

  const server: Server = createServer((req, res) => {
    const handler = route(req);
    if (handler === 'unsigned') {
      req.resume();
      return sendJsonError(
        res,
        403,
        'MissingAuthenticationTokenException',
        'The request is not signed with AWS SigV4. Use an AWS SDK/CLI with the credentials from `tunekit local env`.',
      );
    }
    if (handler === 'unknown' || handler === undefined) {
      req.resume();
      const service = readCredentialScope(req)?.service;
      return sendJsonError(
        res,
        400,
        'UnknownServiceException',
        `The local stack does not serve the AWS service "${service}". Served: ${[...handlers.keys()].join(', ')}.`,
      );
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        log(`internal error on ${req.method} ${req.url}: ${(error as Error)?.stack ?? String(error)}`);
        if (!res.headersSent)
          sendJsonError(res, 500, 'InternalServerException', `Internal error: ${(error as Error)?.message}`);
        else res.destroy();
      });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    registerService: (name, handler) => void handlers.set(name, handler),
    services: () => [...handlers.keys()],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
