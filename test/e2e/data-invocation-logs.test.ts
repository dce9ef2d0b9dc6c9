import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { converseLog, jsonl } from '../../src/dataset/test-support/invocation-logs.ts';
import { runCli, tempDir } from './helpers/cli.ts';

/**
 * `tunekit data validate` on model invocation logs as Bedrock delivers them to S3 (gzip-compressed JSON
 * Lines per hour under AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/), synced to a
 * folder with `aws s3 sync`, with real bad records in them.
 */

/** Two hourly files: 120 teacher records for distillation, 10 others, a torn line, an image request. */
function logFolder(distill = 120) {
  const dir = tempDir({});
  const hour = (h: string) => join(dir, 'logs', 'us-east-1', '2026', '12', '04', h);
  mkdirSync(hour('10'), { recursive: true });
  mkdirSync(join(hour('11'), 'data'), { recursive: true });
  const first = Array.from({ length: distill / 2 }, (_, i) => converseLog(i, 'distill'));
  const image = converseLog(999, 'distill');
  image.input.inputBodyJson.messages = [{ role: 'user', content: [{ image: { format: 'png' } } as never] }];
  writeFileSync(
    join(hour('10'), 'a.json.gz'),
    gzipSync(jsonl([...first, '{"schemaType": "ModelInvocat', image])),
  );
  const second = [
    ...Array.from({ length: distill / 2 }, (_, i) => converseLog(100 + i, 'distill')),
    ...Array.from({ length: 10 }, (_, i) => converseLog(200 + i, 'chat')),
    converseLog(300, 'distill', 'amazon.nova-lite-v1:0'),
  ];
  writeFileSync(join(hour('11'), 'b.json.gz'), gzipSync(jsonl(second)));
  // A large-payload body Bedrock puts under data/: not a log file, never read as one.
  writeFileSync(join(hour('11'), 'data', 'big.json.gz'), gzipSync('{"not": "a log"}\n'));
  return dir;
}

const FILTER = '{"equals": {"use": "distill"}}';

describe('tunekit data validate on invocation logs', () => {
  it('reads a synced log folder as a distillation job would, naming each dropped record and why', async () => {
    const dir = logFolder();
    const r = await runCli(
      [
        'data',
        'validate',
        'logs',
        '--model',
        'nova-micro',
        '--teacher',
        'nova-pro',
        '--use-prompt-response',
        '--metadata-filter',
        FILTER,
      ],
      { cwd: dir },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /valid logs: 120 records, 0 errors, 3 warnings \(bedrock-conversation-2024 for distillation of amazon\.nova-micro/,
    );
    expect(r.stdout).toMatch(
      /131 invocation log records in 2 files; the student trains on the logged answers of nova-pro; left out: 10 filtered out by request metadata, 1 answered by another model/,
    );
    expect(r.stdout).toMatch(
      /logs\/us-east-1\/2026\/12\/04\/10\/a\.json\.gz:61 this line is not JSON, so Bedrock drops it/,
    );
    expect(r.stdout).toMatch(
      /a\.json\.gz:62 input\.inputBodyJson\.messages\[0\]: the message is not a user or assistant turn with text.*\[LOG_UNREADABLE_MESSAGE\]/,
    );
    expect(r.stdout).toMatch(
      /1 records were answered by another model than the teacher nova-pro.*\[LOG_OTHER_MODEL\]/,
    );
  });

  it('fails when too few records pass the filters, saying how many were filtered out and the fix', async () => {
    const dir = logFolder(80);
    const r = await runCli(
      ['data', 'validate', 'logs', '--model', 'nova-micro', '--metadata-filter', FILTER, '--json'],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ valid: false, records: 81, method: 'distillation' });
    expect(report.errors[0].code).toBe('TOO_FEW_RECORDS');
    expect(report.errors[0].message).toMatch(
      /81 usable prompts \(10 did not pass the request metadata filters\); Bedrock asks for at least 100/,
    );
    expect(report.errors[0].hint).toMatch(/loosen the filters/);
  });

  it('finds a single log file by its records, without --invocation-logs', async () => {
    const dir = tempDir({
      'export.jsonl': jsonl(Array.from({ length: 100 }, (_, i) => converseLog(i, 'x'))),
    });
    const r = await runCli(['data', 'validate', 'export.jsonl', '--model', 'nova-micro'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/100 invocation log records in 1 file; the teacher answers each prompt again/);
    // One of Bedrock's gzip log files, as downloaded: detected from its first record as well.
    writeFileSync(join(dir, 'hour.json.gz'), gzipSync(readFileSync(join(dir, 'export.jsonl'))));
    const gz = await runCli(['data', 'validate', 'hour.json.gz', '--model', 'nova-micro'], { cwd: dir });
    expect(gz.code, gz.stdout + gz.stderr).toBe(0);
    expect(gz.stdout).toMatch(/100 invocation log records in 1 file/);
  });

  it('refuses a malformed filter and another method with the fix', async () => {
    const dir = logFolder();
    const combined = await runCli(
      [
        'data',
        'validate',
        'logs',
        '--model',
        'nova-micro',
        '--metadata-filter',
        '{"equals": {"a": "b"}, "notEquals": {"c": "d"}}',
      ],
      { cwd: dir },
    );
    expect(combined.code).toBe(2);
    expect(combined.stderr).toMatch(
      /--metadata-filter: must set exactly one of equals, notEquals, andAll, orAll/,
    );
    const notJson = await runCli(
      ['data', 'validate', 'logs', '--model', 'nova-micro', '--metadata-filter', 'use=distill'],
      { cwd: dir },
    );
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/--metadata-filter is not JSON/);
    const rft = await runCli(
      ['data', 'validate', 'logs', '--method', 'reinforcement', '--model', 'nova-2-lite'],
      { cwd: dir },
    );
    expect(rft.code).toBe(2);
    expect(rft.stderr).toMatch(
      /holds model invocation logs, which are distillation data, not reinforcement data/,
    );
  });

  it("convert turns the logs into a distillation prompt file the pipeline takes, prompts only or with the teacher's answers", async () => {
    const dir = logFolder();
    const prompts = await runCli(
      ['data', 'convert', 'logs', '--method', 'distillation', '--metadata-filter', FILTER],
      { cwd: dir },
    );
    expect(prompts.code, prompts.stderr).toBe(0);
    expect(prompts.stdout).toMatch(
      /wrote logs\.distillation\.jsonl: 121 distillation records .* from 131 invocation log records, prompts only/,
    );
    const lines = readFileSync(join(dir, 'logs.distillation.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(121);
    expect(lines[0]).toEqual({
      schemaVersion: 'bedrock-conversation-2024',
      messages: [{ role: 'user', content: [{ text: 'How do I reset card PIN number 0?' }] }],
    });
    const check = await runCli(
      ['data', 'validate', 'logs.distillation.jsonl', '--method', 'distillation', '--model', 'nova-micro'],
      { cwd: dir },
    );
    expect(check.code, check.stdout).toBe(0);

    const pairs = await runCli(
      [
        'data',
        'convert',
        'logs',
        '--method',
        'distillation',
        '--use-prompt-response',
        '--teacher',
        'nova-pro',
        '-o',
        'pairs.jsonl',
      ],
      { cwd: dir },
    );
    expect(pairs.code, pairs.stderr).toBe(0);
    const answered = readFileSync(join(dir, 'pairs.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(answered).toHaveLength(130); // every record of the teacher, none of nova-lite's
    expect(answered[0].messages[1]).toEqual({
      role: 'assistant',
      content: [{ text: 'Open the app, choose card 0, then Reset PIN.' }],
    });
    const again = await runCli(['data', 'convert', 'logs', '--method', 'distillation'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/logs\.distillation\.jsonl already exists/);
  });

  it("estimate prices the records a job would use: the teacher's calls, or none with --use-prompt-response", async () => {
    const dir = logFolder();
    const args = [
      'data',
      'estimate',
      'logs',
      '--model',
      'nova-micro',
      '--teacher',
      'nova-pro',
      '--metadata-filter',
      FILTER,
    ];
    const again = await runCli([...args, '--max-response-tokens', '200', '--json'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    const answered = JSON.parse(again.stdout);
    expect(answered).toMatchObject({ method: 'distillation', records: 121, teacher: { prompts: 121 } });
    expect(answered.teacher.output.usd).toBeGreaterThan(0);
    const logged = await runCli([...args, '--use-prompt-response', '--json'], { cwd: dir });
    expect(logged.code, logged.stderr).toBe(0);
    const pairs = JSON.parse(logged.stdout);
    expect(pairs).toMatchObject({
      records: 120,
      teacher: { prompts: 0, input: { usd: 0 }, output: { usd: 0 } },
    });
    expect(pairs.teacher.input.quantity).toMatch(/trains on the answers already in the invocation logs/);
  });
});
