import { rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  paginateListObjectsV2,
  type S3Client,
  type S3ServiceException,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectCreatedEvent } from '../../src/local/s3/index.ts';
import { readEventsSince } from '../../src/local/s3/index.ts';
import { tempDir } from './helpers/cli.ts';
import { type RunningS3, startS3 } from './local-s3-helpers.ts';

const MiB = 1024 * 1024;
let dataDir: string;
let s3: RunningS3;
let client: S3Client;
const events: ObjectCreatedEvent[] = [];

/** The SDK error a call fails with (name + HTTP status), or a failure if it succeeds. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as S3ServiceException;
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

const text = async (bucket: string, key: string, extra: Record<string, unknown> = {}) => {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
  return { out, body: await out.Body!.transformToString() };
};

beforeAll(async () => {
  dataDir = tempDir();
  s3 = await startS3(dataDir);
  client = s3.client;
  s3.service.onObjectCreated((e) => events.push(e));
  await client.send(new CreateBucketCommand({ Bucket: 'data' }));
});

afterAll(async () => {
  await s3?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('buckets', () => {
  it('creates, lists, heads, locates and deletes buckets with S3 error codes', async () => {
    await client.send(new CreateBucketCommand({ Bucket: 'scratch-bucket' }));
    // As on AWS: re-creating your own bucket is a no-op in us-east-1 and a 409 elsewhere.
    await client.send(new CreateBucketCommand({ Bucket: 'scratch-bucket' }));
    const eu = {
      Bucket: 'eu-bucket',
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' as const },
    };
    await client.send(new CreateBucketCommand(eu));
    expect(await failure(client.send(new CreateBucketCommand(eu)))).toEqual({
      name: 'BucketAlreadyOwnedByYou',
      status: 409,
    });
    expect(
      (await client.send(new GetBucketLocationCommand({ Bucket: 'eu-bucket' }))).LocationConstraint,
    ).toBe('eu-west-1');
    await client.send(new DeleteBucketCommand({ Bucket: 'eu-bucket' }));
    // Without a LocationConstraint the bucket lives in the region the request was signed for.
    const signedInEu = await fetch(`${s3.endpoint}/signed-eu-bucket`, {
      method: 'PUT',
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20260101/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=abc',
      },
    });
    expect(signedInEu.status).toBe(200);
    expect(
      (await client.send(new GetBucketLocationCommand({ Bucket: 'signed-eu-bucket' }))).LocationConstraint,
    ).toBe('eu-west-1');
    await client.send(new DeleteBucketCommand({ Bucket: 'signed-eu-bucket' }));
    const list = await client.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toEqual(expect.arrayContaining(['data', 'scratch-bucket']));
    await client.send(new HeadBucketCommand({ Bucket: 'scratch-bucket' }));
    expect(await failure(client.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' })))).toEqual({
      name: 'NotFound',
      status: 404,
    });
    const location = await client.send(new GetBucketLocationCommand({ Bucket: 'scratch-bucket' }));
    expect(location.LocationConstraint ?? '').toBe('');
    const versioning = await client.send(new GetBucketVersioningCommand({ Bucket: 'scratch-bucket' }));
    expect(versioning.Status).toBeUndefined();

    await client.send(new PutObjectCommand({ Bucket: 'scratch-bucket', Key: 'x', Body: 'x' }));
    expect(await failure(client.send(new DeleteBucketCommand({ Bucket: 'scratch-bucket' })))).toEqual({
      name: 'BucketNotEmpty',
      status: 409,
    });
    await client.send(new DeleteObjectCommand({ Bucket: 'scratch-bucket', Key: 'x' }));
    await client.send(new DeleteBucketCommand({ Bucket: 'scratch-bucket' }));
    expect(await failure(client.send(new DeleteBucketCommand({ Bucket: 'scratch-bucket' })))).toEqual({
      name: 'NoSuchBucket',
      status: 404,
    });
  });

  it('rejects invalid bucket names', async () => {
    for (const name of ['ab', 'Upper-Case', 'has_underscore', '192.168.1.1', 'a..b'])
      expect(await failure(client.send(new CreateBucketCommand({ Bucket: name })))).toEqual({
        name: 'InvalidBucketName',
        status: 400,
      });
  });

  it('stores an EventBridge notification configuration', async () => {
    await client.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'data',
        NotificationConfiguration: { EventBridgeConfiguration: {} },
      }),
    );
    const got = await client.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'data' }));
    expect(got.EventBridgeConfiguration).toEqual({});
    expect(s3.service.eventBridgeEnabled('data')).toBe(true);
  });
});

describe('objects', () => {
  it('puts and gets bytes, metadata, content type and an MD5 ETag', async () => {
    const put = await client.send(
      new PutObjectCommand({
        Bucket: 'data',
        Key: 'dir/hello.txt',
        Body: 'hello world',
        ContentType: 'text/plain',
        Metadata: { owner: 'tunekit', 'run-id': '42' },
      }),
    );
    expect(put.ETag).toBe('"5eb63bbbe01eeed093cb22bb8f5acdc3"');
    const { out, body } = await text('data', 'dir/hello.txt');
    expect(body).toBe('hello world');
    expect(out.ContentType).toBe('text/plain');
    expect(out.Metadata).toEqual({ owner: 'tunekit', 'run-id': '42' });
    expect(out.ETag).toBe(put.ETag);
    expect(out.ContentLength).toBe(11);
    const head = await client.send(new HeadObjectCommand({ Bucket: 'data', Key: 'dir/hello.txt' }));
    expect(head.ContentLength).toBe(11);
    expect(head.Metadata?.owner).toBe('tunekit');
  });

  it('stores streamed (aws-chunked, trailing checksum) uploads decoded and returns a checksum the SDK validates', async () => {
    const { Readable } = await import('node:stream');
    const chunks = [Buffer.alloc(70_000, 1), Buffer.alloc(5, 2), Buffer.alloc(100_000, 3)];
    // What the SDK really sent: without aws-chunked framing this test would not exercise the decoder.
    const sent: (string | undefined)[] = [];
    const spy = (req: IncomingMessage) => sent.push(req.headers['content-encoding']);
    s3.server.prependListener('request', spy);
    await client.send(
      new PutObjectCommand({
        Bucket: 'data',
        Key: 'streamed.bin',
        Body: Readable.from(chunks),
        ContentLength: 170_005,
      }),
    );
    s3.server.off('request', spy);
    expect(sent).toEqual(['aws-chunked']);
    const out = await client.send(new GetObjectCommand({ Bucket: 'data', Key: 'streamed.bin' }));
    expect(out.ChecksumCRC32).toBeDefined();
    const bytes = Buffer.from(await out.Body!.transformToByteArray());
    expect(bytes.equals(Buffer.concat(chunks))).toBe(true);
  });

  it('keeps keys with unusual characters exact', async () => {
    const keys = ['sp ace/plus+sign', 'unicode/é€😀', 'a//double/slash', '../escape', 'q?x=1&y#z', '%41'];
    for (const key of keys) await client.send(new PutObjectCommand({ Bucket: 'data', Key: key, Body: key }));
    for (const key of keys) expect((await text('data', key)).body).toBe(key);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'data' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(expect.arrayContaining(keys));
  });

  it('serves byte ranges with 206 and rejects unsatisfiable ones with 416 InvalidRange', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'data', Key: 'digits', Body: '0123456789' }));
    const r1 = await text('data', 'digits', { Range: 'bytes=2-5' });
    expect(r1.body).toBe('2345');
    expect(r1.out.$metadata.httpStatusCode).toBe(206);
    expect(r1.out.ContentRange).toBe('bytes 2-5/10');
    expect((await text('data', 'digits', { Range: 'bytes=-3' })).body).toBe('789');
    expect((await text('data', 'digits', { Range: 'bytes=7-' })).body).toBe('789');
    expect((await text('data', 'digits', { Range: 'bytes=8-100' })).body).toBe('89');
    expect(await failure(text('data', 'digits', { Range: 'bytes=10-' }))).toEqual({
      name: 'InvalidRange',
      status: 416,
    });
  });

  it('answers read preconditions with 412 and 304', async () => {
    const { out } = await text('data', 'digits');
    expect(await failure(text('data', 'digits', { IfMatch: '"0000"' }))).toEqual({
      name: 'PreconditionFailed',
      status: 412,
    });
    expect((await text('data', 'digits', { IfMatch: out.ETag })).body).toBe('0123456789');
    expect((await failure(text('data', 'digits', { IfNoneMatch: out.ETag }))).status).toBe(304);
    expect(
      (await failure(text('data', 'digits', { IfModifiedSince: new Date(Date.now() + 60_000) }))).status,
    ).toBe(304);
    expect(
      await failure(text('data', 'digits', { IfUnmodifiedSince: new Date(Date.now() - 3_600_000) })),
    ).toEqual({
      name: 'PreconditionFailed',
      status: 412,
    });
  });

  it('reports missing keys and buckets as NoSuchKey / NoSuchBucket', async () => {
    expect(await failure(text('data', 'missing'))).toEqual({ name: 'NoSuchKey', status: 404 });
    expect(await failure(client.send(new HeadObjectCommand({ Bucket: 'data', Key: 'missing' })))).toEqual({
      name: 'NotFound',
      status: 404,
    });
    expect(await failure(text('no-such-bucket', 'k'))).toEqual({ name: 'NoSuchBucket', status: 404 });
    expect(
      await failure(client.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x' }))),
    ).toEqual({ name: 'NoSuchBucket', status: 404 });
  });

  it('copies objects with their metadata, or replaces it', async () => {
    const copy = await client.send(
      new CopyObjectCommand({ Bucket: 'data', Key: 'copies/hello.txt', CopySource: 'data/dir/hello.txt' }),
    );
    expect(copy.CopyObjectResult?.ETag).toBe('"5eb63bbbe01eeed093cb22bb8f5acdc3"');
    const { out, body } = await text('data', 'copies/hello.txt');
    expect(body).toBe('hello world');
    expect(out.Metadata?.owner).toBe('tunekit');
    await client.send(
      new CopyObjectCommand({
        Bucket: 'data',
        Key: 'copies/hello.txt',
        CopySource: 'data/copies/hello.txt',
        MetadataDirective: 'REPLACE',
        Metadata: { fresh: 'yes' },
        ContentType: 'text/markdown',
      }),
    );
    const replaced = await text('data', 'copies/hello.txt');
    expect(replaced.out.Metadata).toEqual({ fresh: 'yes' });
    expect(replaced.out.ContentType).toBe('text/markdown');
    expect(
      await failure(
        client.send(new CopyObjectCommand({ Bucket: 'data', Key: 'c', CopySource: 'data/missing' })),
      ),
    ).toEqual({ name: 'NoSuchKey', status: 404 });
  });

  it('deletes one object (204 even when absent) and many with DeleteObjects', async () => {
    for (const k of ['del/1', 'del/2', 'del/3'])
      await client.send(new PutObjectCommand({ Bucket: 'data', Key: k, Body: k }));
    await client.send(new DeleteObjectCommand({ Bucket: 'data', Key: 'del/1' }));
    await client.send(new DeleteObjectCommand({ Bucket: 'data', Key: 'del/1' }));
    const res = await client.send(
      new DeleteObjectsCommand({
        Bucket: 'data',
        Delete: { Objects: [{ Key: 'del/2' }, { Key: 'del/3' }, { Key: 'del/none' }] },
      }),
    );
    expect(res.Deleted?.map((d) => d.Key).sort()).toEqual(['del/2', 'del/3', 'del/none']);
    const left = await client.send(new ListObjectsV2Command({ Bucket: 'data', Prefix: 'del/' }));
    expect(left.KeyCount).toBe(0);
  });
});

describe('listing', () => {
  beforeAll(async () => {
    const keys = [
      ...Array.from({ length: 25 }, (_, i) => `list/f${String(i).padStart(2, '0')}`),
      'list/sub/a',
      'list/sub/b',
      'list/z/c',
    ];
    await Promise.all(
      keys.map((Key) => client.send(new PutObjectCommand({ Bucket: 'data', Key, Body: Key }))),
    );
  });

  it('paginates ListObjectsV2 with continuation tokens, delimiter and common prefixes', async () => {
    const seen: string[] = [];
    const prefixes: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2(
      { client, pageSize: 7 },
      { Bucket: 'data', Prefix: 'list/', Delimiter: '/' },
    )) {
      pages++;
      expect(page.KeyCount).toBeLessThanOrEqual(7);
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
      prefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
    }
    expect(pages).toBe(4); // 25 keys + 2 common prefixes = 27 entries
    expect(seen).toHaveLength(25);
    expect(seen).toEqual([...seen].sort());
    expect(prefixes).toEqual(['list/sub/', 'list/z/']);
  });

  it('supports start-after, max-keys and encoding-type=url', async () => {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: 'data', Prefix: 'list/', StartAfter: 'list/f22', MaxKeys: 3 }),
    );
    expect(page.Contents?.map((c) => c.Key)).toEqual(['list/f23', 'list/f24', 'list/sub/a']);
    expect(page.IsTruncated).toBe(true);
    const encoded = await client.send(
      new ListObjectsV2Command({ Bucket: 'data', Prefix: 'sp ace/', EncodingType: 'url' }),
    );
    expect(encoded.Contents?.[0]?.Key).toBe('sp%20ace/plus%2Bsign');
  });

  it('serves ListObjects v1 with markers', async () => {
    const first = await client.send(new ListObjectsCommand({ Bucket: 'data', Prefix: 'list/', MaxKeys: 20 }));
    expect(first.IsTruncated).toBe(true);
    const second = await client.send(
      new ListObjectsCommand({
        Bucket: 'data',
        Prefix: 'list/',
        Marker: first.NextMarker ?? first.Contents!.at(-1)!.Key,
      }),
    );
    expect((first.Contents?.length ?? 0) + (second.Contents?.length ?? 0)).toBe(28);
    expect(second.IsTruncated).toBe(false);
  });
});

describe('multipart uploads', () => {
  it('uploads >= 2 parts of 5 MiB with lib-storage Upload and reads them back', async () => {
    const body = Buffer.alloc(12 * MiB);
    for (let i = 0; i < body.length; i += 4096) body.writeUInt32BE(i, i);
    const done = await new Upload({
      client,
      params: { Bucket: 'data', Key: 'big/model.bin', Body: body },
      partSize: 5 * MiB,
    }).done();
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    const out = await client.send(new GetObjectCommand({ Bucket: 'data', Key: 'big/model.bin' }));
    const back = Buffer.from(await out.Body!.transformToByteArray());
    expect(back.equals(body)).toBe(true);
    expect(out.ETag).toBe(done.ETag);
  });

  it('rejects small parts, unknown parts and unknown uploads with S3 codes; lists and aborts', async () => {
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: 'data', Key: 'mp/small' }),
    );
    const p1 = await client.send(
      new UploadPartCommand({ Bucket: 'data', Key: 'mp/small', UploadId, PartNumber: 1, Body: 'tiny' }),
    );
    const p2 = await client.send(
      new UploadPartCommand({ Bucket: 'data', Key: 'mp/small', UploadId, PartNumber: 2, Body: 'end' }),
    );
    const parts = await client.send(new ListPartsCommand({ Bucket: 'data', Key: 'mp/small', UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 4],
      [2, 3],
    ]);
    const complete = (Parts: { PartNumber: number; ETag: string; ChecksumCRC32?: string }[]) =>
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'data',
          Key: 'mp/small',
          UploadId,
          MultipartUpload: { Parts },
        }),
      );
    expect(
      await failure(
        complete([
          { PartNumber: 1, ETag: p1.ETag! },
          { PartNumber: 2, ETag: p2.ETag! },
        ]),
      ),
    ).toEqual({
      name: 'EntityTooSmall',
      status: 400,
    });
    const wrongChecksum = [{ PartNumber: 1, ETag: p1.ETag!, ChecksumCRC32: 'AAAAAA==' }];
    expect(await failure(complete(wrongChecksum))).toEqual({ name: 'InvalidPart', status: 400 });
    expect(await failure(complete([{ PartNumber: 3, ETag: p1.ETag! }]))).toEqual({
      name: 'InvalidPart',
      status: 400,
    });
    expect(
      await failure(
        complete([
          { PartNumber: 2, ETag: p2.ETag! },
          { PartNumber: 1, ETag: p1.ETag! },
        ]),
      ),
    ).toEqual({
      name: 'InvalidPartOrder',
      status: 400,
    });
    // A single part may be small (it is the last one).
    const single = await complete([{ PartNumber: 1, ETag: p1.ETag! }]);
    expect(single.ETag).toMatch(/-1"$/);
    expect((await text('data', 'mp/small')).body).toBe('tiny');
    expect(await failure(complete([{ PartNumber: 1, ETag: p1.ETag! }]))).toEqual({
      name: 'NoSuchUpload',
      status: 404,
    });

    const other = await client.send(new CreateMultipartUploadCommand({ Bucket: 'data', Key: 'mp/aborted' }));
    const inProgress = await client.send(new ListMultipartUploadsCommand({ Bucket: 'data', Prefix: 'mp/' }));
    expect(inProgress.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['mp/aborted', other.UploadId]]);
    await client.send(
      new AbortMultipartUploadCommand({ Bucket: 'data', Key: 'mp/aborted', UploadId: other.UploadId }),
    );
    const afterAbort = await client.send(new ListMultipartUploadsCommand({ Bucket: 'data', Prefix: 'mp/' }));
    expect(afterAbort.Uploads ?? []).toEqual([]);
    expect(
      await failure(
        client.send(new ListPartsCommand({ Bucket: 'data', Key: 'mp/aborted', UploadId: other.UploadId })),
      ),
    ).toEqual({ name: 'NoSuchUpload', status: 404 });
  });

  it('rejects malformed XML with MalformedXML', async () => {
    const res = await fetch(`${s3.endpoint}/data?delete`, { method: 'POST', body: '<Delete><Object>' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>MalformedXML</Code>');
  });
});

describe('conditional writes', () => {
  it('If-None-Match: * creates once; the second writer gets 412', async () => {
    await client.send(
      new PutObjectCommand({ Bucket: 'data', Key: 'cond/once', Body: 'first', IfNoneMatch: '*' }),
    );
    expect(
      await failure(
        client.send(
          new PutObjectCommand({ Bucket: 'data', Key: 'cond/once', Body: 'second', IfNoneMatch: '*' }),
        ),
      ),
    ).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect((await text('data', 'cond/once')).body).toBe('first');
  });

  it('If-Match with a stale ETag is 412; on a missing key it is 404 NoSuchKey', async () => {
    const v1 = await client.send(new PutObjectCommand({ Bucket: 'data', Key: 'cond/cas', Body: 'v1' }));
    await client.send(
      new PutObjectCommand({ Bucket: 'data', Key: 'cond/cas', Body: 'v2', IfMatch: v1.ETag }),
    );
    expect(
      await failure(
        client.send(new PutObjectCommand({ Bucket: 'data', Key: 'cond/cas', Body: 'v3', IfMatch: v1.ETag })),
      ),
    ).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect((await text('data', 'cond/cas')).body).toBe('v2');
    expect(
      await failure(
        client.send(
          new PutObjectCommand({ Bucket: 'data', Key: 'cond/absent', Body: 'x', IfMatch: v1.ETag }),
        ),
      ),
    ).toEqual({ name: 'NoSuchKey', status: 404 });
  });

  it('applies If-None-Match to CompleteMultipartUpload', async () => {
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: 'data', Key: 'cond/once' }),
    );
    const p = await client.send(
      new UploadPartCommand({ Bucket: 'data', Key: 'cond/once', UploadId, PartNumber: 1, Body: 'mp' }),
    );
    expect(
      await failure(
        client.send(
          new CompleteMultipartUploadCommand({
            Bucket: 'data',
            Key: 'cond/once',
            UploadId,
            IfNoneMatch: '*',
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p.ETag }] },
          }),
        ),
      ),
    ).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect((await text('data', 'cond/once')).body).toBe('first');
  });

  it('20 concurrent read-modify-write increments with If-Match retries end at exactly 20', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'data', Key: 'cond/counter.json', Body: '{"n":0}' }));
    let conflicts = 0;
    const increment = async () => {
      for (;;) {
        const { out, body } = await text('data', 'cond/counter.json');
        const n = (JSON.parse(body) as { n: number }).n;
        try {
          await client.send(
            new PutObjectCommand({
              Bucket: 'data',
              Key: 'cond/counter.json',
              Body: JSON.stringify({ n: n + 1 }),
              IfMatch: out.ETag,
            }),
          );
          return;
        } catch (error) {
          if ((error as S3ServiceException).name !== 'PreconditionFailed') throw error;
          conflicts++;
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, increment));
    expect(JSON.parse((await text('data', 'cond/counter.json')).body)).toEqual({ n: 20 });
    expect(conflicts).toBeGreaterThan(0); // the writers really did race
  });
});

describe('integrity and less common calls', () => {
  it('rejects a body whose checksum or Content-MD5 does not match with BadDigest, storing nothing', async () => {
    expect(
      await failure(
        client.send(
          new PutObjectCommand({
            Bucket: 'data',
            Key: 'bad/crc',
            Body: 'payload',
            ChecksumCRC32: 'AAAAAA==',
          }),
        ),
      ),
    ).toEqual({ name: 'BadDigest', status: 400 });
    expect(
      await failure(
        client.send(
          new PutObjectCommand({
            Bucket: 'data',
            Key: 'bad/md5',
            Body: 'payload',
            ContentMD5: '1B2M2Y8AsgTpgAmY7PhCfg==',
          }),
        ),
      ),
    ).toEqual({ name: 'BadDigest', status: 400 });
    expect((await client.send(new ListObjectsV2Command({ Bucket: 'data', Prefix: 'bad/' }))).KeyCount).toBe(
      0,
    );
  });

  it('checks a signed x-amz-content-sha256 payload hash (boto3 and the CLI send one over HTTP)', async () => {
    const { createHash } = await import('node:crypto');
    const put = (sha: string) =>
      fetch(`${s3.endpoint}/data/sha/obj`, {
        method: 'PUT',
        body: 'signed body',
        headers: { 'x-amz-content-sha256': sha },
      });
    const wrong = await put('0'.repeat(64));
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    expect((await put(createHash('sha256').update('signed body').digest('hex'))).status).toBe(200);
    expect((await text('data', 'sha/obj')).body).toBe('signed body');
  });

  it('builds a multipart object from ranges of another object with UploadPartCopy', async () => {
    const source = Buffer.alloc(6 * MiB);
    for (let i = 0; i < source.length; i++) source[i] = i % 251;
    await client.send(new PutObjectCommand({ Bucket: 'data', Key: 'src/six.bin', Body: source }));
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: 'data', Key: 'dst/joined.bin' }),
    );
    const copyPart = (PartNumber: number, CopySourceRange: string) =>
      client.send(
        new UploadPartCopyCommand({
          Bucket: 'data',
          Key: 'dst/joined.bin',
          UploadId,
          PartNumber,
          CopySource: 'data/src/six.bin',
          CopySourceRange,
        }),
      );
    const p1 = await copyPart(1, `bytes=0-${5 * MiB - 1}`);
    const p2 = await copyPart(2, `bytes=${5 * MiB}-${6 * MiB - 1}`);
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'data',
        Key: 'dst/joined.bin',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.CopyPartResult!.ETag },
            { PartNumber: 2, ETag: p2.CopyPartResult!.ETag },
          ],
        },
      }),
    );
    const out = await client.send(new GetObjectCommand({ Bucket: 'data', Key: 'dst/joined.bin' }));
    expect(Buffer.from(await out.Body!.transformToByteArray()).equals(source)).toBe(true);
  });

  it('accepts presigned-style query strings and answers HEAD ranges', async () => {
    const presigned =
      `${s3.endpoint}/data/digits?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=local%2F20260101%2Fus-east-1%2Fs3%2Faws4_request` +
      '&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=abc&x-id=GetObject';
    const res = await fetch(presigned);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('0123456789');
    const head = await fetch(`${s3.endpoint}/data/digits`, {
      method: 'HEAD',
      headers: { range: 'bytes=0-1' },
    });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe('bytes 0-1/10');
  });

  it('answers sub-resources it does not serve with 501 NotImplemented instead of misreading them', async () => {
    expect(
      await failure(
        client.send(
          new PutObjectTaggingCommand({
            Bucket: 'data',
            Key: 'digits',
            Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] },
          }),
        ),
      ),
    ).toEqual({ name: 'NotImplemented', status: 501 });
    expect((await text('data', 'digits')).body).toBe('0123456789');
  });
});

describe('events and persistence', () => {
  it('emits one object-created event per put, copy and multipart completion, and journals them', async () => {
    const before = events.length;
    await client.send(new PutObjectCommand({ Bucket: 'data', Key: 'ev/put', Body: 'abc' }));
    await client.send(new CopyObjectCommand({ Bucket: 'data', Key: 'ev/copy', CopySource: 'data/ev/put' }));
    const failed = await failure(
      client.send(new PutObjectCommand({ Bucket: 'data', Key: 'ev/put', Body: 'zzz', IfNoneMatch: '*' })),
    );
    expect(failed.status).toBe(412);
    const mine = events.slice(before);
    expect(mine.map((e) => [e.key, e.reason])).toEqual([
      ['ev/put', 'PutObject'],
      ['ev/copy', 'CopyObject'],
    ]);
    expect(mine[0]).toMatchObject({ bucket: 'data', size: 3, etag: '900150983cd24fb0d6963f7d28e17f72' });
    expect(mine[1]!.sequencer > mine[0]!.sequencer).toBe(true);
    const journaled = await readEventsSince(dataDir, mine[0]!.sequencer);
    expect(journaled[0]).toEqual(mine[1]);
    expect(events.some((e) => e.reason === 'CompleteMultipartUpload' && e.key === 'big/model.bin')).toBe(
      true,
    );
  });

  it('keeps every object, bucket setting and the event sequence across a restart', async () => {
    const lastBefore = events.at(-1)!.sequencer;
    await s3.stop();
    s3 = await startS3(dataDir);
    client = s3.client;
    s3.service.onObjectCreated((e) => events.push(e));
    expect((await text('data', 'dir/hello.txt')).body).toBe('hello world');
    expect((await text('data', 'cond/counter.json')).body).toBe('{"n":20}');
    const big = await client.send(new HeadObjectCommand({ Bucket: 'data', Key: 'big/model.bin' }));
    expect(big.ContentLength).toBe(12 * MiB);
    expect(s3.service.eventBridgeEnabled('data')).toBe(true);
    await client.send(new PutObjectCommand({ Bucket: 'data', Key: 'ev/after-restart', Body: '1' }));
    expect(events.at(-1)!.sequencer > lastBefore).toBe(true);
    expect(await s3.service.store.getObject('data', 'ev/after-restart')).toEqual(Buffer.from('1'));
  });
});
