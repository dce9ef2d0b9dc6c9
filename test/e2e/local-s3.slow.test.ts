import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './helpers/cli.ts';

/** Starts test/e2e/local-s3-server.ts in a child process and resolves with its port. */
function startServerProcess(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'test/e2e/local-s3-server.ts'), dataDir],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`local S3 exited early (${code})`)));
  });
}

const stopped = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

const awsEnv = (port: number) => ({
  ...process.env,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
  AWS_PAGER: '',
});

describe('AWS CLI and boto3 against the local S3', () => {
  let dataDir: string;
  let server: { child: ChildProcess; port: number };

  beforeAll(async () => {
    dataDir = tempDir();
    server = await startServerProcess(dataDir);
  });
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    if (server) await stopped(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const aws = (...args: string[]) =>
    spawnSync('aws', args, { env: awsEnv(server.port), encoding: 'utf8', timeout: 120_000 });

  it('aws s3 mb / cp (20 MB, multipart) / ls, and put-object --if-none-match', () => {
    const work = tempDir();
    const file = join(work, 'big.bin');
    const big = Buffer.alloc(20 * 1000 * 1000);
    for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);
    writeFileSync(file, big);
    expect(aws('s3', 'mb', 's3://cli-bucket').status).toBe(0);
    const cp = aws('s3', 'cp', file, 's3://cli-bucket/models/big.bin', '--only-show-errors');
    expect(cp.stderr).toBe('');
    expect(cp.status).toBe(0);
    const ls = aws('s3', 'ls', 's3://cli-bucket', '--recursive');
    expect(ls.stdout).toMatch(/20000000 models\/big\.bin/);
    const head = JSON.parse(
      aws('s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'models/big.bin').stdout,
    );
    expect(head.ETag).toMatch(/-\d+"$/); // the CLI really used multipart
    const back = join(work, 'back.bin');
    expect(aws('s3', 'cp', 's3://cli-bucket/models/big.bin', back, '--only-show-errors').status).toBe(0);
    expect(readFileSync(back).equals(big)).toBe(true);

    const small = join(work, 'small.txt');
    writeFileSync(small, 'first');
    const args = [
      's3api',
      'put-object',
      '--bucket',
      'cli-bucket',
      '--key',
      'once',
      '--body',
      small,
      '--if-none-match',
      '*',
    ];
    expect(aws(...args).status).toBe(0);
    const second = aws(...args);
    expect(second.status).not.toBe(0);
    expect(second.stderr).toMatch(/PreconditionFailed/);
    rmSync(work, { recursive: true, force: true });
  });

  it('boto3: objects, paginated listing, multipart transfer, copy, conditional put, errors', () => {
    const script = `
import json, os, boto3, hashlib
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError
s3 = boto3.client('s3')
out = {}
s3.create_bucket(Bucket='py-bucket')
s3.put_object(Bucket='py-bucket', Key='a/b c+d.txt', Body=b'hello', Metadata={'k': 'v'})
o = s3.get_object(Bucket='py-bucket', Key='a/b c+d.txt')
out['body'] = o['Body'].read().decode(); out['meta'] = o['Metadata']
for i in range(12): s3.put_object(Bucket='py-bucket', Key=f'many/{i:02d}', Body=str(i).encode())
s3.put_object(Bucket='py-bucket', Key='many/sub/x', Body=b'x')
keys, prefixes = [], []
for page in s3.get_paginator('list_objects_v2').paginate(Bucket='py-bucket', Prefix='many/', Delimiter='/', PaginationConfig={'PageSize': 5}):
    keys += [c['Key'] for c in page.get('Contents', [])]; prefixes += [p['Prefix'] for p in page.get('CommonPrefixes', [])]
out['keys'] = keys; out['prefixes'] = prefixes
v1 = [c['Key'] for page in s3.get_paginator('list_objects').paginate(Bucket='py-bucket', PaginationConfig={'PageSize': 4}) for c in page.get('Contents', [])]
out['v1count'] = len(v1)
data = os.urandom(12 * 1024 * 1024)
open('/tmp/tunekit-boto3-up.bin', 'wb').write(data)
s3.upload_file('/tmp/tunekit-boto3-up.bin', 'py-bucket', 'big.bin', Config=TransferConfig(multipart_threshold=5*1024*1024, multipart_chunksize=5*1024*1024))
s3.download_file('py-bucket', 'big.bin', '/tmp/tunekit-boto3-down.bin')
out['roundtrip'] = open('/tmp/tunekit-boto3-down.bin', 'rb').read() == data
out['bigEtag'] = s3.head_object(Bucket='py-bucket', Key='big.bin')['ETag']
s3.copy_object(Bucket='py-bucket', Key='copy.txt', CopySource={'Bucket': 'py-bucket', 'Key': 'a/b c+d.txt'})
out['copy'] = s3.get_object(Bucket='py-bucket', Key='copy.txt')['Body'].read().decode()
def code(fn):
    try: fn(); return None
    except ClientError as e: return [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
out['ifNoneMatch'] = code(lambda: s3.put_object(Bucket='py-bucket', Key='copy.txt', Body=b'z', IfNoneMatch='*'))
out['ifMatch'] = code(lambda: s3.put_object(Bucket='py-bucket', Key='copy.txt', Body=b'z', IfMatch='"0"'))
out['noKey'] = code(lambda: s3.get_object(Bucket='py-bucket', Key='nope'))
out['range'] = code(lambda: s3.get_object(Bucket='py-bucket', Key='copy.txt', Range='bytes=100-'))
out['partial'] = s3.get_object(Bucket='py-bucket', Key='copy.txt', Range='bytes=1-3')['Body'].read().decode()
d = s3.delete_objects(Bucket='py-bucket', Delete={'Objects': [{'Key': 'copy.txt'}, {'Key': 'big.bin'}]})
out['deleted'] = sorted(x['Key'] for x in d.get('Deleted', []))
print(json.dumps(out))
`;
    const run = spawnSync('python3', ['-c', script], {
      env: awsEnv(server.port),
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(run.stderr).not.toMatch(/Traceback/);
    const out = JSON.parse(run.stdout);
    expect(out.body).toBe('hello');
    expect(out.meta).toEqual({ k: 'v' });
    expect(out.keys).toEqual(Array.from({ length: 12 }, (_, i) => `many/${String(i).padStart(2, '0')}`));
    expect(out.prefixes).toEqual(['many/sub/']);
    expect(out.v1count).toBe(14);
    expect(out.roundtrip).toBe(true);
    expect(out.bigEtag).toMatch(/-3"$/);
    expect(out.copy).toBe('hello');
    expect(out.ifNoneMatch).toEqual(['PreconditionFailed', 412]);
    expect(out.ifMatch).toEqual(['PreconditionFailed', 412]);
    expect(out.noKey).toEqual(['NoSuchKey', 404]);
    expect(out.range).toEqual(['InvalidRange', 416]);
    expect(out.partial).toBe('ell');
    expect(out.deleted).toEqual(['big.bin', 'copy.txt']);
  });
});

describe('crash safety', () => {
  /** Deterministic content for a key and version, so any torn or mixed object is detectable. */
  const content = (key: string, version: number) => {
    const size = 1000 + (createHash('md5').update(key).digest().readUInt32BE(0) % (768 * 1024));
    const seed = createHash('sha256').update(`${key}#${version}`).digest();
    const out = Buffer.alloc(size);
    for (let i = 0; i < size; i += seed.length) seed.copy(out, i);
    return out;
  };

  it('kill -9 during concurrent writes loses no acknowledged object and leaves no torn one', async () => {
    const dataDir = tempDir();
    let server = await startServerProcess(dataDir);
    const client = (port: number) =>
      new S3Client({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      });
    let c = client(server.port);
    await fetch(`http://127.0.0.1:${server.port}/crash`, { method: 'PUT' });
    const acked = new Map<string, number>(); // key -> last acknowledged version
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const key = `obj-${w}-${i % 4}`; // keys are overwritten: a crash must leave old or new, never half
        const version = Math.floor(i / 4);
        try {
          await c.send(new PutObjectCommand({ Bucket: 'crash', Key: key, Body: content(key, version) }));
          acked.set(key, version);
        } catch {
          return; // the server died under us
        }
      }
    };
    const writers = Array.from({ length: 6 }, (_, w) => writer(w));
    // Kill once enough writes (including overwrites) were acknowledged, however loaded the machine is.
    let ackCount = 0;
    const countAcks = () => [...acked.values()].reduce((a, v) => a + v + 1, 0);
    for (let waited = 0; waited < 20_000 && ackCount < 60; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      ackCount = countAcks();
    }
    server.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await stopped(server.child);
    c.destroy();
    expect(acked.size).toBeGreaterThan(10);
    expect(Math.max(...acked.values())).toBeGreaterThan(0); // keys really were overwritten before the kill
    console.log(
      `crash test: ${[...acked.values()].reduce((a, v) => a + v + 1, 0)} acknowledged writes before kill -9`,
    );

    server = await startServerProcess(dataDir);
    c = client(server.port);
    const listed = await c.send(new ListObjectsV2Command({ Bucket: 'crash' }));
    const keys = (listed.Contents ?? []).map((o) => o.Key!);
    for (const key of acked.keys()) expect(keys).toContain(key);
    for (const key of keys) {
      const body = Buffer.from(
        await (
          await c.send(new GetObjectCommand({ Bucket: 'crash', Key: key }))
        ).Body!.transformToByteArray(),
      );
      const ackedVersion = acked.get(key) ?? 0;
      // The stored object is a complete version: the acknowledged one, or the one in flight at the kill.
      const matches = [ackedVersion, ackedVersion + 1].some((v) => body.equals(content(key, v)));
      expect(matches, `${key} is intact`).toBe(true);
    }
    // Start-up collected whatever the kill left behind: one data file per listed object, no temp records.
    const bucketDir = join(dataDir, 's3', 'buckets', 'crash');
    expect(readdirSync(join(bucketDir, 'data'))).toHaveLength(keys.length);
    expect(readdirSync(join(bucketDir, 'objects')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    c.destroy();
    server.child.kill('SIGTERM');
    await stopped(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
