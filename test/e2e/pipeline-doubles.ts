import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ListCustomModelDeploymentsCommand,
  ListProvisionedModelThroughputsCommand,
} from '@aws-sdk/client-bedrock';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { type PipelineStack, startPipelineStack } from '../../src/cli/pipeline-stack.ts';
import { type ConfigInput, ConfigSchema } from '../../src/config/schema.ts';
import * as dataset from '../../src/dataset/index.ts';
import { inProcessTrainer } from '../../src/local/bedrock/index.ts';
import type { TrainingEngine } from '../../src/local/engine/engine.port.ts';
import type { ObjectCreatedEvent, ObjectStore } from '../../src/local/s3/object-store.port.ts';
import type { S3Service } from '../../src/local/stack.ts';
import { pollWaitOverrides } from '../../src/pipeline/definition.ts';
import { PIPELINE_TASKS } from '../../src/pipeline/tasks-table.ts';
import { SAMPLES } from '../../src/samples.ts';
import { tempDir } from './helpers/cli.ts';
import { memorisingEngine } from './helpers/local-doubles.ts';

/**
 * A small in-memory S3 for the pipeline's end-to-end tests until the real local S3 lands in this branch:
 * buckets, PUT/GET/HEAD/DELETE, ListObjectsV2, conditional writes (If-None-Match: *, If-Match) as the
 * registry needs them, and object-created events as the trigger needs them. Tests only.
 */
export function pipelineS3(): S3Service & {
  objects: Map<string, { body: Buffer; etag: string; at: Date }>;
} {
  const objects = new Map<string, { body: Buffer; etag: string; at: Date }>();
  const buckets = new Set<string>();
  const listeners = new Set<(e: ObjectCreatedEvent) => void>();
  const journal: ObjectCreatedEvent[] = [];
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
    journal.push(event);
    for (const l of listeners) l(event);
    return etag;
  };
  const store: ObjectStore = {
    bucketExists: async (b) => buckets.has(b),
    ensureBucket: async (b) => {
      buckets.add(b);
    },
    headObject: async (b, k) => {
      const o = objects.get(`${b}/${k}`);
      return o
        ? {
            size: o.body.length,
            etag: o.etag,
            lastModified: o.at.toISOString(),
            contentType: 'application/octet-stream',
          }
        : undefined;
    },
    getObject: async (b, k) => objects.get(`${b}/${k}`)?.body,
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
    readEventsSince: async (sequencer?: string) =>
      journal.filter((e) => !sequencer || e.sequencer > sequencer),
    eventBridgeEnabled: (bucket: string) => (buckets.has(bucket) ? true : undefined),
    close: async () => {},
  };
}

/** Retries of every Task state, test-sized. */
export const FAST_RETRY = Object.fromEntries(PIPELINE_TASKS.map((task) => [task.state, 20]));

export interface StartOptions {
  config?: ConfigInput;
  engine?: TrainingEngine;
  faults?: Parameters<typeof startPipelineStack>[0]['faults'];
  provisioningDelayMs?: number;
  jobEvents?: boolean;
  /** Bring an S3 double that already holds objects/events (crash-window scenarios). */
  s3?: ReturnType<typeof pipelineS3>;
  /** Reuse a data dir (restart scenarios). */
  dataDir?: string;
  /** Retry intervals (ms) of some states instead of FAST_RETRY's. */
  retryIntervals?: Record<string, number>;
}

/** Starts pipeline stacks on doubles for a test file and cleans them (and their data dirs) up. */
export function pipelineHarness() {
  let running: PipelineStack[] = [];
  let dirs: string[] = [];
  const start = async (options: StartOptions) => {
    const dataDir = options.dataDir ?? tempDir();
    dirs.push(dataDir);
    const lines: string[] = [];
    const engine = options.engine ?? memorisingEngine();
    const config = ConfigSchema.parse({
      evaluation: { suite: SAMPLES.bankingSuite, concurrency: 8 },
      ...options.config,
    });
    const p = await startPipelineStack({
      config,
      configDir: dataDir,
      dataDir,
      port: 0,
      log: (l) => lines.push(l),
      waitTimeOverrides: pollWaitOverrides(50),
      retryIntervalOverrides: { ...FAST_RETRY, ...options.retryIntervals },
      trainPollMs: 50,
      provisioningDelayMs: options.provisioningDelayMs ?? 100,
      overrides: { s3: options.s3 ?? pipelineS3(), engine, trainer: inProcessTrainer(engine, dataset) },
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.jobEvents ? { jobEvents: true, jobEventsIntervalMs: 20 } : {}),
    });
    running.push(p);
    return { p, lines, config, dataDir };
  };
  const cleanup = async () => {
    for (const p of running) await p.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    running = [];
    dirs = [];
  };
  return { start, cleanup };
}

export async function upload(p: PipelineStack, bucket: string, key: string, body: Buffer | string) {
  await p.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

export async function nextRun(p: PipelineStack, count = 1) {
  for (let i = 0; i < 200; i++) {
    const runs = p.sfn.service.listExecutions(p.stateMachineArn);
    if (runs.length >= count) return p.sfn.service.waitForExecution(runs[0]!.executionArn);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no run started');
}

export async function leftovers(p: PipelineStack) {
  const d = await p.clients.bedrock.send(new ListCustomModelDeploymentsCommand({}));
  const pt = await p.clients.bedrock.send(new ListProvisionedModelThroughputsCommand({}));
  return [...(d.modelDeploymentSummaries ?? []), ...(pt.provisionedModelSummaries ?? [])];
}

/**
 * For CLI tests of `tunekit runs` / `run`: a pipeline stack on doubles with one finished run of the banking
 * data, and the environment a user's shell would have (`tunekit local env`, with AWS_ENDPOINT_URL_SFN).
 */
export function oneFinishedRun(): { env: NodeJS.ProcessEnv; runName: string; cwd: string } {
  const { start, cleanup } = pipelineHarness();
  const fixture = { env: {} as NodeJS.ProcessEnv, runName: '', cwd: tempDir() };
  beforeAll(async () => {
    const { p, config } = await start({});
    fixture.env = { ...p.stack.env, AWS_ENDPOINT_URL_SFN: p.stack.endpoint };
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    fixture.runName = (await nextRun(p)).name;
  }, 120_000);
  afterAll(cleanup);
  return fixture;
}
