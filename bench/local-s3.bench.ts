/**
 * Local S3 figures, measured through the real AWS SDK v3 over HTTP on 127.0.0.1:
 *   npm run bench:s3
 * Prints: small-object PUT/GET rates (sequential and 8 concurrent), large-object PUT/GET throughput
 * (single PUT and lib-storage multipart), paginated listing time, and If-Match contention cost.
 * Every PUT is fsynced (data, record, directory, event journal), so the PUT rate is bounded by the disk.
 */
import { rmSync } from 'node:fs';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { tempDir } from '../test/e2e/helpers/cli.ts';
import { startS3 } from '../test/e2e/local-s3-helpers.ts';

const MiB = 1024 * 1024;
const dataDir = tempDir();
const s3 = await startS3(dataDir);
const c = s3.client;
await c.send(new CreateBucketCommand({ Bucket: 'bench' }));

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const out = await fn();
  return [out, (performance.now() - t) / 1000];
}
const report = (name: string, value: string) => console.log(`${name.padEnd(52)} ${value}`);

const small = Buffer.alloc(1024, 7);
const N = 300;
let [, s] = await timed(async () => {
  for (let i = 0; i < N; i++)
    await c.send(new PutObjectCommand({ Bucket: 'bench', Key: `small/${i}`, Body: small }));
});
report('PUT 1 KiB, sequential', `${(N / s).toFixed(0)} ops/s`);
[, s] = await timed(async () => {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < N) {
        const i = next++;
        await c.send(new PutObjectCommand({ Bucket: 'bench', Key: `small-c/${i}`, Body: small }));
      }
    }),
  );
});
report('PUT 1 KiB, 8 concurrent', `${(N / s).toFixed(0)} ops/s`);
[, s] = await timed(async () => {
  for (let i = 0; i < N; i++)
    await (
      await c.send(new GetObjectCommand({ Bucket: 'bench', Key: `small/${i}` }))
    ).Body!.transformToByteArray();
});
report('GET 1 KiB, sequential', `${(N / s).toFixed(0)} ops/s`);

const big = Buffer.alloc(64 * MiB);
for (let i = 0; i < big.length; i += 4) big.writeUInt32LE(i, i);
[, s] = await timed(() => c.send(new PutObjectCommand({ Bucket: 'bench', Key: 'big/single', Body: big })));
report('PUT 64 MiB, single request', `${(64 / s).toFixed(0)} MiB/s`);
[, s] = await timed(() =>
  new Upload({
    client: c,
    params: { Bucket: 'bench', Key: 'big/multi', Body: big },
    partSize: 8 * MiB,
    queueSize: 4,
  }).done(),
);
report('PUT 64 MiB, lib-storage multipart (8 MiB parts x4)', `${(64 / s).toFixed(0)} MiB/s`);
[, s] = await timed(async () => {
  const out = await c.send(new GetObjectCommand({ Bucket: 'bench', Key: 'big/multi' }));
  for await (const _ of out.Body as AsyncIterable<Uint8Array>);
});
report('GET 64 MiB (streamed, CRC32 validated by the SDK)', `${(64 / s).toFixed(0)} MiB/s`);

[, s] = await timed(async () => {
  let n = 0;
  for await (const page of paginateListObjectsV2({ client: c, pageSize: 100 }, { Bucket: 'bench' }))
    n += page.KeyCount ?? 0;
  if (n !== 2 * N + 2) throw new Error(`listed ${n}`);
});
report(`ListObjectsV2 ${2 * N + 2} keys in pages of 100`, `${(s * 1000).toFixed(0)} ms`);

// The same listing over plain HTTP separates the server's cost from the SDK's XML deserialisation.
[, s] = await timed(async () => {
  let token: string | undefined;
  do {
    const q = `list-type=2&max-keys=100${token === undefined ? '' : `&continuation-token=${encodeURIComponent(token)}`}`;
    const xml = await (await fetch(`${s3.endpoint}/bench?${q}`)).text();
    token = /<NextContinuationToken>([^<]+)</.exec(xml)?.[1];
  } while (token !== undefined);
});
report(`  same listing, raw HTTP (no SDK parsing)`, `${(s * 1000).toFixed(0)} ms`);

await c.send(new PutObjectCommand({ Bucket: 'bench', Key: 'counter', Body: '0' }));
let conflicts = 0;
[, s] = await timed(() =>
  Promise.all(
    Array.from({ length: 20 }, async () => {
      for (;;) {
        const got = await c.send(new GetObjectCommand({ Bucket: 'bench', Key: 'counter' }));
        const n = Number(await got.Body!.transformToString());
        try {
          await c.send(
            new PutObjectCommand({ Bucket: 'bench', Key: 'counter', Body: String(n + 1), IfMatch: got.ETag }),
          );
          return;
        } catch {
          conflicts++;
        }
      }
    }),
  ),
);
const final = await (
  await c.send(new GetObjectCommand({ Bucket: 'bench', Key: 'counter' }))
).Body!.transformToString();
report(
  '20 concurrent If-Match increments',
  `${(s * 1000).toFixed(0)} ms, ${conflicts} retries, final ${final}`,
);

await s3.stop();
rmSync(dataDir, { recursive: true, force: true });
