import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients.ts';
import { notify } from '../../src/notify/index.ts';
import { memorySentLog } from '../../src/notify/sent-log.ts';
import { readIndex } from '../../src/registry/index.ts';
import { REPO_ROOT, runCli, tempDir } from './helpers/cli.ts';
import { startMoto } from './helpers/local-process.ts';
import { type RunningS3, startS3 } from './local-s3-helpers.ts';

/**
 * The registry through the real CLI, including 20 racing processes and SIGKILLed writers, against two
 * S3 implementations that enforce conditional writes: moto_server (independent) and tunekit's own local
 * S3; and the SNS notifier against moto's SNS.
 */
let moto: { endpoint: string; stop(): void } | undefined;
let motoEndpoint = '';
/** The S3 endpoint of the backend under test. */
let endpoint = '';
const BUCKET = 'registry-e2e';

beforeAll(async () => {
  // Serialized: the 20-writer race below must be decided by S3 semantics, not by moto's own race.
  moto = await startMoto({ serialized: true });
  motoEndpoint = moto.endpoint;
  endpoint = motoEndpoint;
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
});

afterAll(() => {
  moto?.stop();
});

const clients = () =>
  createAwsClients({ region: 'us-east-1', endpoints: { s3: endpoint, sns: motoEndpoint } });

function project() {
  const dir = tempDir({ 'tunekit.config.json': JSON.stringify({ project: 'bank', bucket: BUCKET }) });
  const env = {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    TUNEKIT_ACTOR: 'e2e-bot',
    NODE_NO_WARNINGS: '1',
  };
  const cli = async (args: string[]) => runCli(args, { cwd: dir, env });
  const json = async (args: string[]) => {
    const r = await cli([...args, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout);
  };
  const lineageFile = (job: string, extra: Record<string, unknown> = {}) => {
    const path = join(dir, `${job}.json`);
    writeFileSync(
      path,
      JSON.stringify({
        baseModelId: 'amazon.nova-micro-v1:0:128k',
        baseModelFamily: 'nova',
        jobArn: `arn:aws:bedrock:us-east-1:123456789012:model-customization-job/${job}`,
        customModelArn: `arn:aws:bedrock:us-east-1:123456789012:custom-model/${job}`,
        hyperparameters: { epochCount: 2, learningRate: 0.00001, batchSize: 1 },
        dataManifest: {
          uri: `s3://${BUCKET}/training-data/${job}.jsonl`,
          sha256: 'b'.repeat(64),
          records: 200,
        },
        evaluation: { scores: { overall: 0.8, inDomain: 0.85 } },
        gate: { passed: true, reasons: [] },
        ...extra,
      }),
    );
    return path;
  };
  return { dir, cli, json, lineageFile };
}

describe.each(['moto', 'local S3'])('tunekit registry against %s', (backend) => {
  let local: RunningS3 | undefined;
  beforeAll(async () => {
    if (backend === 'local S3') {
      local = await startS3(tempDir());
      endpoint = local.endpoint;
    } else {
      endpoint = motoEndpoint;
    }
    await clients().s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  afterAll(async () => {
    await local?.stop();
  });

  it('register, list, show, diff, promote, rollback, history', async () => {
    const { cli, json, lineageFile } = project();
    const a = await json(['registry', 'register', '--from', lineageFile('job-a')]);
    expect(a).toMatchObject({ created: true, version: { version: 'v1.0', registeredBy: 'e2e-bot' } });
    const b = await json([
      'registry',
      'register',
      '--from',
      lineageFile('job-b', {
        hyperparameters: { epochCount: 3, learningRate: 0.00001, batchSize: 1 },
        evaluation: { scores: { overall: 0.86, inDomain: 0.93 } },
      }),
    ]);
    expect(b.version.version).toBe('v1.1');

    const listed = await json(['registry', 'list']);
    expect(listed.versions.map((v: { version: string }) => v.version)).toEqual(['v1.0', 'v1.1']);
    const human = await cli(['registry', 'list']);
    expect(human.stdout).toMatch(
      /v1\.1\s+registered\s+-\s+amazon\.nova-micro-v1:0:128k\s+fine-tuning\s+0\.860\s+passed/,
    );

    const shown = await json(['registry', 'show', 'v1.1']);
    expect(shown).toMatchObject({
      jobArn: expect.stringContaining('job-b'),
      dataManifest: { records: 200 },
      aliases: [],
    });

    const diff = await json(['registry', 'diff', 'v1.0', 'v1.1']);
    expect(diff.rows).toEqual(
      expect.arrayContaining([
        { group: 'hyperparameters', field: 'epochCount', a: 2, b: 3, delta: 1 },
        { group: 'scores', field: 'overall', a: 0.8, b: 0.86, delta: 0.06 },
      ]),
    );

    expect((await cli(['registry', 'promote', 'v1.0', '--reason', 'baseline'])).stdout).toContain(
      'promoted v1.0 to production',
    );
    expect((await cli(['registry', 'promote', 'v1.1', '--reason', 'better'])).stdout).toContain(
      '(previous: v1.0)',
    );
    expect((await json(['registry', 'show', 'production'])).version).toBe('v1.1');
    const rolled = await cli(['registry', 'rollback', '--reason', 'tone regression']);
    expect(rolled.stdout).toContain('rolled back production to v1.0');

    const history = await json(['registry', 'history']);
    expect(
      history
        .filter((e: { action: string }) => e.action !== 'reserve')
        .map((e: Record<string, string>) => `${e.action} ${e.version} ${e.reason ?? ''}`),
    ).toEqual([
      'register v1.0 ',
      'register v1.1 ',
      'promote v1.0 baseline',
      'promote v1.1 better',
      'rollback v1.0 tone regression',
    ]);
    expect(history.every((e: { actor: string }) => e.actor === 'e2e-bot')).toBe(true);

    const missing = await cli(['registry', 'show', 'v4.2']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('version v4.2 does not exist');
    expect(missing.stderr).toContain('registered versions: v1.0, v1.1');
    const bad = await cli([
      'registry',
      'register',
      '--from',
      lineageFile('job-c', { dataManifest: { uri: 'x', sha256: 'zz', records: -1 } }),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/job-c\.json: version record is invalid:\n {2}dataManifest\.sha256/);
  });

  it('20 concurrent registrations and then 20 concurrent promotions from separate processes lose no update', async () => {
    const { cli, json, lineageFile } = project();
    const name = ['--name', 'race'];
    const files = Array.from({ length: 20 }, (_, i) => lineageFile(`race-${i}`));
    const registered = await Promise.all(
      files.map((f) => cli(['registry', 'register', '--from', f, ...name, '--json'])),
    );
    for (const r of registered) expect(r.stderr).toBe('');
    const versions = registered.map((r) => JSON.parse(r.stdout).version.version as string);
    expect(new Set(versions).size).toBe(20);

    const promoted = await Promise.all(
      versions.map((v) => cli(['registry', 'promote', v, ...name, '--json'])),
    );
    for (const r of promoted) expect(r.code).toBe(0);

    const listing = await json(['registry', 'list', ...name]);
    const history = await json(['registry', 'history', ...name]);
    // 20 reserve + 20 register + 20 promote: every change is in the index revision and in the history.
    expect(listing.revision).toBe(60);
    expect(history).toHaveLength(60);
    expect(history.map((e: { revision: number }) => e.revision)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    expect(listing.versions.filter((v: { status: string }) => v.status === 'registered')).toHaveLength(20);
    const promotions = history.filter((e: { action: string }) => e.action === 'promote');
    expect(promotions.map((e: { version: string }) => e.version).sort()).toEqual([...versions].sort());
    // Each promotion replaced exactly the production the one before it installed: one unbroken chain.
    promotions.forEach((e: { from?: string }, i: number) => {
      expect(e.from).toBe(promotions[i - 1]?.version);
    });
    expect(listing.aliases.production).toBe(promotions.at(-1).version);
  });

  it('processes killed mid-write leave a consistent registry that later runs complete', async () => {
    const { dir, cli, json, lineageFile } = project();
    const name = ['--name', 'killed'];
    const env = {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      NODE_NO_WARNINGS: '1',
    };
    const ctx = { s3: clients().s3, bucket: BUCKET, prefix: 'models/', name: 'killed', actor: 'test' };
    const files = Array.from({ length: 6 }, (_, i) => lineageFile(`killed-${i}`));
    // Run 6 registrations at once; SIGKILL each as soon as its number is reserved, i.e. in the middle of
    // writing its version folder.
    await Promise.all(
      files.map(
        (file, i) =>
          new Promise<void>((resolve) => {
            const child = spawn(
              process.execPath,
              [join(REPO_ROOT, 'bin/tunekit.mjs'), 'registry', 'register', '--from', file, ...name],
              {
                cwd: dir,
                env: { ...process.env, ...env },
                stdio: 'ignore',
              },
            );
            const poll = setInterval(async () => {
              const { index } = await readIndex(ctx).catch(() => ({
                index: { versions: [] as { jobArn?: string }[] },
              }));
              if (index.versions.some((v) => v.jobArn?.endsWith(`/killed-${i}`))) child.kill('SIGKILL');
            }, 10);
            child.on('close', () => {
              clearInterval(poll);
              resolve();
            });
          }),
      ),
    );
    const all = await json(['registry', 'list', '--all', ...name]);
    const pending = all.versions.filter((v: { status: string }) => v.status === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    expect(await json(['registry', 'history', ...name])).toHaveLength(all.revision);
    // Pending versions are not listed; every listed version is complete and can be shown.
    const listed = await json(['registry', 'list', ...name]);
    expect(listed.versions).toHaveLength(all.versions.length - pending.length);
    for (const v of listed.versions)
      expect((await cli(['registry', 'show', v.version, ...name])).code).toBe(0);
    // Re-running every registration finishes the interrupted ones without duplicating finished ones.
    for (const file of files)
      expect((await cli(['registry', 'register', '--from', file, ...name])).code).toBe(0);
    const after = await json(['registry', 'list', '--all', ...name]);
    expect(after.versions).toHaveLength(6);
    expect(after.versions.every((v: { status: string }) => v.status === 'registered')).toBe(true);
    expect(await json(['registry', 'history', ...name])).toHaveLength(after.revision);
  });

  it('a half-written version folder is not listed as complete', async () => {
    const { cli, json, lineageFile } = project();
    const name = ['--name', 'half'];
    await json(['registry', 'register', '--from', lineageFile('half-1'), ...name]);
    // A writer that died after two of its objects: no version.json, no index entry.
    const s3 = clients().s3;
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'models/half-v1.1/model-id.txt', Body: 'arn:x\n' }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'models/half-v1.1/training-config.json', Body: '{}' }),
    );
    const listing = await json(['registry', 'list', '--all', ...name]);
    expect(listing.versions.map((v: { version: string }) => v.version)).toEqual(['v1.0']);
    const promote = await cli(['registry', 'promote', 'v1.1', ...name]);
    expect(promote.code).toBe(1);
    expect(promote.stderr).toContain('version v1.1 does not exist');
    // The next registration skips nothing it should not: numbering continues from the index.
    const next = await json(['registry', 'register', '--from', lineageFile('half-2'), ...name]);
    expect(next.version.version).toBe('v1.1');
  });

  it('a foreign object at the index key is reported and left as it was', async () => {
    const { cli } = project();
    const s3 = clients().s3;
    const foreign = JSON.stringify({ models: ['not ours'] });
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'models/_registry/foreign/index.json', Body: foreign }),
    );
    const r = await cli(['registry', 'promote', 'v1.0', '--name', 'foreign']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `s3://${BUCKET}/models/_registry/foreign/index.json is not a tunekit registry index`,
    );
    const stored = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'models/_registry/foreign/index.json' }),
    );
    const body = await stored.Body?.transformToString();
    expect(body).toBe(foreign);
  });
});

describe('SNS notifier against moto', () => {
  it('publishes a Subject and Message once per execution', async () => {
    const c = clients();
    const topic = await c.sns.send(new CreateTopicCommand({ Name: 'tunekit-e2e' }));
    const outcome = {
      status: 'rejected' as const,
      executionId: 'exec-42',
      project: 'bank',
      version: 'v1.4',
      reasons: ['safety regressed by 0.05'],
      scores: { overall: 0.7 },
    };
    const options = { sentLog: memorySentLog() };
    const first = await notify(outcome, [{ type: 'sns', topicArn: topic.TopicArn! }], c, options);
    const retry = await notify(outcome, [{ type: 'sns', topicArn: topic.TopicArn! }], c, options);
    expect(first.map((r) => r.status)).toEqual(['sent']);
    expect(retry.map((r) => r.status)).toEqual(['duplicate-skipped']);
    const data = (await fetch(`${motoEndpoint}/moto-api/data.json`).then((r) => r.json())) as {
      sns: { Topic: { arn: string; sent_notifications: string[][] }[] };
    };
    const stored = data.sns.Topic.find((t) => t.arn === topic.TopicArn)!;
    expect(stored.sent_notifications).toHaveLength(1);
    const [, message, subject] = stored.sent_notifications[0] ?? [];
    expect(subject).toBe('bank v1.4 rejected by the evaluation gate');
    expect(message).toContain('rejected by the evaluation gate: safety regressed by 0.05');
  });
});
