import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ObjectCreatedEvent, ObjectStore } from '../../src/local/s3/object-store.port.ts';
import type { S3ServiceLike } from '../../src/local/stack.ts';

/**
 * A small in-memory S3 for the pipeline's end-to-end tests until the real local S3 lands in this branch:
 * buckets, PUT/GET/HEAD/DELETE, ListObjectsV2, conditional writes (If-None-Match: *, If-Match) as the
 * registry needs them, and object-created events as the trigger needs them. Tests only.
 */
export function pipelineS3(): S3ServiceLike & {
  objects: Map<string, { body: Buffer; etag: string; at: Date }>;
} {
  const objects = new Map<string, { body: Buffer; etag: string; at: Date }>();
  const buckets = new Set<string>();
  const listeners = new Set<(e: ObjectCreatedEvent) => void>();
  let sequence = 0;
  const put = (bucket: string, key: string, body: Buffer) => {
    const etag = createHash('md5').update(body).digest('hex');
    objects.set(`${bucket}/${key}`, { body, etag, at: new Date() });
    const event: ObjectCreatedEvent = {
      bucket,
      key,
      size: body.length,
      etag,
      sequencer: (++sequence).toString(16).padStart(16, '0').toUpperCase(),
      reason: 'PutObject',
      time: new Date().toISOString(),
    };
    for (const l of listeners) l(event);
    return etag;
  };
  const store: ObjectStore = {
    bucketExists: async (b) => buckets.has(b),
    getObject: async (b, k) => objects.get(`${b}/${k}`)?.body,
    createReadStream: async (b, k) => {
      const o = objects.get(`${b}/${k}`);
      return o ? Readable.from(o.body) : undefined;
    },
    putObject: async (b, k, body) => ({ etag: put(b, k, Buffer.isBuffer(body) ? body : Buffer.from(body)) }),
    listKeys: async (b, prefix) =>
      [...objects.keys()].filter((k) => k.startsWith(`${b}/${prefix}`)).map((k) => k.slice(b.length + 1)),
  };
  const xml = (res: ServerResponse, status: number, body: string) =>
    res
      .writeHead(status, { 'content-type': 'application/xml' })
      .end(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
  const error = (res: ServerResponse, status: number, code: string) =>
    xml(res, status, `<Error><Code>${code}</Code><Message>${code}</Message></Error>`);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const [bucket = '', ...rest] = decodeURIComponent(url.pathname).slice(1).split('/');
    const key = rest.join('/');
    const id = `${bucket}/${key}`;
    const existing = objects.get(id);
    if (req.method === 'PUT' && !key) {
      buckets.add(bucket);
      return res.writeHead(200).end();
    }
    if (!buckets.has(bucket)) return error(res, 404, 'NoSuchBucket');
    if (req.method === 'PUT') {
      if (req.headers['if-none-match'] === '*' && existing) return error(res, 412, 'PreconditionFailed');
      const ifMatch = req.headers['if-match'];
      if (ifMatch && (!existing || ifMatch.replaceAll('"', '') !== existing.etag)) {
        return error(res, existing ? 412 : 404, existing ? 'PreconditionFailed' : 'NoSuchKey');
      }
      const etag = put(bucket, key, Buffer.concat(chunks));
      return res.writeHead(200, { etag: `"${etag}"` }).end();
    }
    if (req.method === 'GET' && !key) {
      const prefix = url.searchParams.get('prefix') ?? '';
      const items = [...objects.entries()]
        .filter(([k]) => k.startsWith(`${bucket}/${prefix}`))
        .map(
          ([k, o]) =>
            `<Contents><Key>${esc(k.slice(bucket.length + 1))}</Key><LastModified>${o.at.toISOString()}</LastModified><ETag>"${o.etag}"</ETag><Size>${o.body.length}</Size></Contents>`,
        );
      return xml(
        res,
        200,
        `<ListBucketResult><Name>${bucket}</Name><Prefix>${esc(prefix)}</Prefix><KeyCount>${items.length}</KeyCount><IsTruncated>false</IsTruncated>${items.join('')}</ListBucketResult>`,
      );
    }
    if (!existing) return req.method === 'HEAD' ? res.writeHead(404).end() : error(res, 404, 'NoSuchKey');
    const headers = {
      etag: `"${existing.etag}"`,
      'content-length': existing.body.length,
      'last-modified': existing.at.toUTCString(),
    };
    if (req.method === 'HEAD') return res.writeHead(200, headers).end();
    if (req.method === 'GET') return res.writeHead(200, headers).end(existing.body);
    if (req.method === 'DELETE') {
      objects.delete(id);
      return res.writeHead(204).end();
    }
    error(res, 405, 'MethodNotAllowed');
  };
  return {
    handle: async (req, res) => {
      await handle(req, res);
    },
    store,
    objects,
    onObjectCreated: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: async () => {},
  };
}
