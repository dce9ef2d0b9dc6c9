import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetModelCustomizationJobCommand, ListModelCustomizationJobsCommand } from '@aws-sdk/client-bedrock';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converseLog, jsonl } from '../../src/dataset/test-support/invocation-logs.ts';
import { type OpsStack, runInProcess, startOpsStack } from './ops-stack.ts';

/** `tunekit train --invocation-logs`: distillation from model invocation logs in S3, as a user runs it. */

let ops: OpsStack;

beforeAll(async () => {
  ops = await startOpsStack({
    bucket: 'tunekit-logs',
    config: {
      baseModel: 'nova-micro',
      customization: { method: 'distillation', distillation: { teacherModel: 'nova-pro' } },
    },
  });
});
afterAll(async () => {
  await ops?.stack.stop();
});

const logsOf = (account: string) => `s3://tunekit-logs/AWSLogs/${account}/BedrockModelInvocationLogs/`;
const LOGS = logsOf('000000000000');

async function putLogs(hour: string, records: unknown[], account = '000000000000') {
  await ops.s3.send(
    new PutObjectCommand({
      Bucket: 'tunekit-logs',
      Key: `AWSLogs/${account}/BedrockModelInvocationLogs/us-east-1/2026/12/04/${hour}/logs.json.gz`,
      Body: gzipSync(jsonl(records)),
    }),
  );
}

const train = (args: string[]) => runInProcess(['train', ...args], { cwd: ops.dir, env: ops.env });
const jobs = async () =>
  (await ops.bedrock.send(new ListModelCustomizationJobsCommand({}))).modelCustomizationJobSummaries ?? [];

describe('tunekit train --invocation-logs', () => {
  it('checks the logs before creating a job: too few after the filters is exit 1, no job', async () => {
    await putLogs('09', [
      ...Array.from({ length: 30 }, (_, i) => converseLog(i, 'distill')),
      ...Array.from({ length: 30 }, (_, i) => converseLog(100 + i, 'chat')),
      '{"torn',
    ]);
    const r = await train([
      '--invocation-logs',
      LOGS,
      '--metadata-filter',
      '{"equals": {"use": "distill"}}',
      '--interval',
      '50',
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/is not valid training data for Amazon Nova Micro/);
    expect(r.stderr).toMatch(
      /30 usable prompts \(30 did not pass the request metadata filters\); Bedrock asks for at least 100/,
    );
    expect(await jobs()).toHaveLength(0);
  });

  it('refuses a data file together with --invocation-logs, and a logs URI that is not S3', async () => {
    const both = await train(['train.jsonl', '--invocation-logs', LOGS]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/both a data file \(train\.jsonl\) and --invocation-logs were given/);
    const filterAlone = await train(['train.jsonl', '--use-prompt-response']);
    expect(filterAlone.code).toBe(2);
    expect(filterAlone.stderr).toMatch(/apply to --invocation-logs only/);
    const local = await train(['--invocation-logs', 'logs/']);
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(
      /--invocation-logs takes the S3 prefix Bedrock writes the logs to, got "logs\/"/,
    );
    expect(local.stderr).toMatch(/tunekit data validate <folder>/);
    expect(await jobs()).toHaveLength(0);
  });

  it("creates the job with invocationLogsConfig and the local stack trains the student on the teacher's logged answers", async () => {
    // Its own account folder: the other tests' logs are not under it.
    await putLogs(
      '10',
      [
        ...Array.from({ length: 110 }, (_, i) => converseLog(1000 + i, 'distill')),
        ...Array.from({ length: 30 }, (_, i) => converseLog(3000 + i, 'chat')),
        converseLog(2000, 'distill', 'amazon.nova-lite-v1:0'),
      ],
      '111111111111',
    );
    const r = await train([
      '--invocation-logs',
      logsOf('111111111111'),
      '--use-prompt-response',
      '--metadata-filter',
      '{"equals": {"use": "distill"}}',
      '--interval',
      '50',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    // The teacher's 110 records tagged use=distill: not the 30 chats, not nova-lite's answer.
    expect(out).toMatchObject({ started: true, records: 110, customizationType: 'DISTILLATION' });
    expect(out.final.outputModelArn).toMatch(/:custom-model\//);
    const job = await ops.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: out.jobArn }));
    expect(job.customizationType).toBe('DISTILLATION');
    expect(job.trainingDataConfig).toEqual({
      invocationLogsConfig: {
        invocationLogSource: { s3Uri: logsOf('111111111111') },
        usePromptResponse: true,
        requestMetadataFilters: { equals: { use: 'distill' } },
      },
    });
    expect(job.status).toBe('Completed');
  });

  it('with customization.distillation.invocationLogs in the config, `tunekit train` alone distils from them', async () => {
    const configFile = join(ops.dir, 'tunekit.config.json');
    const saved = readFileSync(configFile, 'utf8');
    const config = JSON.parse(saved);
    config.customization.distillation.invocationLogs = {
      s3Uri: logsOf('111111111111'),
      usePromptResponse: true,
      requestMetadataFilters: { notEquals: { use: 'chat' } },
    };
    writeFileSync(configFile, JSON.stringify(config));
    try {
      const r = await train(['--interval', '50', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      // Everything but the chats, of the teacher: the config's filter and usePromptResponse.
      expect(out).toMatchObject({ started: true, records: 110 });
      const job = await ops.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: out.jobArn }));
      expect(job.trainingDataConfig?.invocationLogsConfig?.requestMetadataFilters).toEqual({
        notEquals: { use: 'chat' },
      });
    } finally {
      writeFileSync(configFile, saved);
    }
  });
});
