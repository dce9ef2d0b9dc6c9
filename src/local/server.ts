import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2Session } from 'node:http2';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { Authenticator } from './auth/authenticate.ts';
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

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

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
 * AWS SDK client; unsigned `/_tunekit/*` requests go to the admin handler (health, faults). Every signed
 * request passes `authenticate` first (whatever service it names), so a service registered later is
 * protected the same way.
 */
export async function startServer(options: {
  port: number;
  host?: string;
  admin: ServiceHandler;
  /** Verifies the SigV4 signature; absent = any key pair is accepted (`--insecure-any-credentials`). */
  authenticate?: Authenticator;
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

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
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
    const scope = readCredentialScope(req);
    Promise.resolve()
      .then(async () => {
        // Only the unsigned admin routes (health, faults) come without a scope.
        const authed = scope && options.authenticate ? await options.authenticate(req, res, scope) : req;
        if (authed) await handler(authed, res);
      })
      .catch((error: unknown) => {
        log(`internal error on ${req.method} ${req.url}: ${(error as Error)?.stack ?? String(error)}`);
        if (!res.headersSent)
          sendJsonError(res, 500, 'InternalServerException', `Internal error: ${(error as Error)?.message}`);
        else res.destroy();
      });
  };

  // The Bedrock Runtime client of AWS SDK v3 speaks HTTP/2 (cleartext, prior knowledge) while the others,
  // boto3 and the AWS CLI speak HTTP/1.1: one port serves both by peeking at the connection preface.
  const http1 = createServer(onRequest);
  http1.keepAliveTimeout = 5_000;
  const http2 = createHttp2Server((req, res) => onRequest(req as never, res as never));
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  http2.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      const isHttp2 = chunk
        .subarray(0, H2_PREFACE.length)
        .equals(H2_PREFACE.subarray(0, Math.min(chunk.length, H2_PREFACE.length)));
      if (!isHttp2) {
        http1.emit('connection', socket);
        socket.resume();
        return;
      }
      // http2 reads from the socket's native handle and would miss the peeked bytes: hand it a stream wrapper.
      http2.emit('connection', replayingStream(socket));
    });
  });

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
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** A Duplex over `socket` whose readable side starts with the bytes already read (they were unshifted). */
function replayingStream(socket: Socket): Duplex {
  const stream = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk, encoding, callback) {
      socket.write(chunk, encoding, callback);
    },
    final(callback) {
      socket.end();
      callback();
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  socket.on('data', (data: Buffer) => {
    if (!stream.push(data)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  socket.on('close', () => stream.destroy());
  socket.on('error', (error) => stream.destroy(error));
  return stream;
}
