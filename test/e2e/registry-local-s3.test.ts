import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients.ts';
import {
  diffVersions,
  listVersions,
  promote,
  type RegistryContext,
  readHistory,
  readVersion,
  registerVersion,
  rollback,
} from '../../src/registry/index.ts';
import { runCli, tempDir } from './helpers/cli.ts';
import { type RunningS3, startS3 } from './local-s3-helpers.ts';

/**
 * The registry against tunekit's own local S3 (real HTTP, real conditional writes) — the fast sibling of
 * registry.slow.test.ts, which runs the same flows through separate CLI processes against moto too.
 */
let s3: RunningS3;
let client: S3Client;
const BUCKET = 'registry-local';

beforeAll(async () => {
  s3 = await startS3(tempDir());
  await s3.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  // The product's client (SDK retries on), as the CLI builds it.
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  client = createAwsClients({ region: 'us-east-1', endpoints: { s3: s3.endpoint } }).s3;
});
afterAll(async () => {
  client?.destroy();
  await s3?.stop();
});

const ctx = (name: string): RegistryContext => ({
  s3: client,
  bucket: BUCKET,
  prefix: 'models/',
  name,
  actor: 'local-test',
});
const lineage = (job: string, epochs = 2, overall = 0.8) => ({
  baseModelId: 'amazon.nova-micro-v1:0:128k',
  baseModelFamily: 'nova',
  jobArn: `arn:aws:bedrock:us-east-1:123456789012:model-customization-job/${job}`,
  hyperparameters: { epochCount: epochs },
  dataManifest: { uri: `s3://${BUCKET}/training-data/${job}.jsonl`, sha256: 'c'.repeat(64), records: 50 },
  evaluation: { scores: { overall } },
  gate: { passed: true, reasons: [] },
});

describe('registry on the local S3', () => {
  it('register, show, diff, promote, rollback, history', async () => {
    const c = ctx('flow');
    await registerVersion(c, lineage('a'));
    await registerVersion(c, lineage('b', 3, 0.9));
    const diff = diffVersions(await readVersion(c, 'v1.0'), await readVersion(c, 'v1.1'));
    expect(diff.rows.filter((r) => r.group !== 'data').map((r) => `${r.field} ${r.a}->${r.b}`)).toEqual([
      'epochCount 2->3',
      'overall 0.8->0.9',
    ]);
    await promote(c, 'v1.0');
    await promote(c, 'v1.1', { reason: 'better' });
    expect(await rollback(c, { reason: 'regression' })).toMatchObject({ production: 'v1.0' });
    const history = await readHistory(c);
    expect(history.map((e) => e.action)).toEqual([
      'reserve',
      'register',
      'reserve',
      'register',
      'promote',
      'promote',
      'rollback',
    ]);
    expect((await listVersions(c)).revision).toBe(7);
  });

  // 6 writers keep `npm test` fast; registry.slow.test.ts races 20 separate processes on this S3 and moto.
  it('6 concurrent registrations and 6 concurrent promotions lose no update', async () => {
    const c = ctx('race');
    const registered = await Promise.all(
      Array.from({ length: 6 }, (_, i) => registerVersion(c, lineage(`r${i}`))),
    );
    const versions = registered.map((r) => r.version.version);
    expect(new Set(versions).size).toBe(6);
    await Promise.all(versions.map((v) => promote(c, v)));
    const listing = await listVersions(c);
    const history = await readHistory(c);
    expect(listing.revision).toBe(18);
    expect(history.map((e) => e.revision)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    const promotions = history.filter((e) => e.action === 'promote');
    expect(promotions.map((e) => e.version).sort()).toEqual([...versions].sort());
    promotions.forEach((e, i) => {
      expect(e.from).toBe(promotions[i - 1]?.version);
    });
  });

  it('a half-written folder is not listed, and a foreign index is left untouched', async () => {
    const c = ctx('half');
    await registerVersion(c, lineage('h1'));
    await s3.client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'models/half-v1.1/model-id.txt', Body: 'x' }),
    );
    expect((await listVersions(c, { all: true })).versions.map((v) => v.version)).toEqual(['v1.0']);

    const key = 'models/_registry/alien/index.json';
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: '{"hello":"world"}' }));
    await expect(registerVersion(ctx('alien'), lineage('z'))).rejects.toMatchObject({
      code: 'REGISTRY.CORRUPT',
    });
    const stored = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(await stored.Body?.transformToString()).toBe('{"hello":"world"}');
  });

  it('the CLI reads the same registry over AWS_ENDPOINT_URL_S3', async () => {
    await registerVersion(ctx('cli'), lineage('cli-1'));
    await promote(ctx('cli'), 'v1.0');
    const dir = tempDir({ 'tunekit.config.json': JSON.stringify({ project: 'cli', bucket: BUCKET }) });
    const r = await runCli(['registry', 'show', 'production', '--json'], {
      cwd: dir,
      env: {
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'x',
        NODE_NO_WARNINGS: '1',
      },
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 'v1.0', aliases: ['production'] });
  });
});
