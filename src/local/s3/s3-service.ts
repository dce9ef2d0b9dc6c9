import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { DiskStore } from './disk-store.ts';
import { EventJournal, journalPath, readEventsSince } from './event-journal.ts';
import type { S3Context } from './handlers/context.ts';
import { parseRequest, type S3Request, sendError } from './http-io.ts';
import { createLocalObjectStore } from './local-object-store.ts';
import { MultipartStore } from './multipart-store.ts';
import type { ObjectRecord } from './object-record.ts';
import type { ObjectCreatedEvent, ObjectStore } from './object-store.port.ts';
import { route } from './router.ts';
import { S3Error } from './s3-error.ts';

export interface S3ServiceOptions {
  /** The stack's data dir; the S3 data lives in `<dataDir>/s3/`. */
  dataDir: string;
  /** Region reported for buckets created without a LocationConstraint. Default us-east-1. */
  region?: string;
}

export interface S3Service {
  /** Serves one S3 REST request (path-style). Never rejects: every failure becomes an S3 error response. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** In-process access for the other local services (see object-store.port.ts). */
  store: ObjectStore;
  /** Called once per created object, after it is durable and journaled. Returns an unsubscribe function. */
  onObjectCreated(listener: (e: ObjectCreatedEvent) => void): () => void;
  /** Journaled events after `sequencer` (all when omitted), oldest first: for triggers catching up. */
  readEventsSince(sequencer?: string): Promise<ObjectCreatedEvent[]>;
  /** Whether a bucket's notification configuration enables EventBridge (undefined: no such bucket). */
  eventBridgeEnabled(bucket: string): boolean | undefined;
  close(): Promise<void>;
}

/** Opens (or creates) the S3 data under `<dataDir>/s3/`, collecting leftovers of any crash first. */
export async function createS3Service(options: S3ServiceOptions): Promise<S3Service> {
  const root = join(options.dataDir, 's3');
  await mkdir(root, { recursive: true });
  const disk = await DiskStore.open(root);
  const uploads = new MultipartStore(disk);
  const journal = await EventJournal.open(journalPath(options.dataDir));
  const listeners = new Set<(e: ObjectCreatedEvent) => void>();
  const inFlight = new Set<Promise<void>>();
  let closed = false;

  async function created(bucket: string, record: ObjectRecord, reason: ObjectCreatedEvent['reason']) {
    const event = await journal.append({
      bucket,
      key: record.key,
      size: record.size,
      etag: record.etag.replace(/"/g, ''),
      reason,
      time: record.lastModified,
    });
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        // A failing subscriber must not fail the client's write, which is already durable.
        console.error(`local s3: object-created listener failed: ${(error as Error).message}`);
      }
    }
    return event;
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let s3req: S3Request | undefined;
    try {
      s3req = parseRequest(req);
      if (closed) throw new S3Error('ServiceUnavailable', 503, 'The local S3 is shutting down.');
      const ctx: S3Context = {
        req,
        res,
        s3req,
        disk,
        uploads,
        region: options.region ?? 'us-east-1',
        created,
      };
      await route(ctx);
    } catch (error) {
      const s3error =
        error instanceof S3Error
          ? error
          : new S3Error(
              'InternalError',
              500,
              `We encountered an internal error: ${(error as Error).message}`,
            );
      if (!(error instanceof S3Error)) console.error('local s3: internal error', error);
      // Unread request bodies are drained so the connection can carry the next request.
      if (!req.readableEnded) req.resume();
      sendError(res, s3req ?? fallbackRequest(req), s3error);
    }
  }

  const service: S3Service = {
    handle(req, res) {
      const p = serve(req, res);
      inFlight.add(p);
      return p.finally(() => inFlight.delete(p));
    },
    store: createLocalObjectStore(disk, created, options.region ?? 'us-east-1'),
    onObjectCreated(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    readEventsSince: (sequencer) => readEventsSince(options.dataDir, sequencer),
    eventBridgeEnabled: (bucket) =>
      disk.has(bucket) ? disk.bucket(bucket).record.eventBridgeEnabled : undefined,
    async close() {
      closed = true;
      await Promise.allSettled([...inFlight]);
      listeners.clear();
      await journal.close();
    },
  };
  return service;
}

function fallbackRequest(req: IncomingMessage): S3Request {
  return {
    method: req.method ?? 'GET',
    bucket: undefined,
    key: undefined,
    query: new URLSearchParams(),
    resource: req.url ?? '/',
    requestId: 'LOCAL',
  };
}
