import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationReportSchema } from '../../src/dataset/index.ts';
import { SAMPLES } from '../../src/samples.ts';
import { runCli, tempDir } from './helpers/cli.ts';

const novaLine = (user: string, answer: string) =>
  JSON.stringify({
    schemaVersion: 'bedrock-conversation-2024',
    messages: [
      { role: 'user', content: [{ text: user }] },
      { role: 'assistant', content: [{ text: answer }] },
    ],
  });

describe('tunekit data validate', () => {
  it('exits 0 for the tutorial Nova set and 1 for the Titan-format set under Nova', async () => {
    const ok = await runCli(['data', 'validate', SAMPLES.tutorialConversation]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^valid .*10 records, 0 errors/);
    const bad = await runCli(['data', 'validate', SAMPLES.tutorialPromptCompletion, '--max-errors', '3']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('training_data.jsonl:1 this record is in prompt/completion format');
    expect(bad.stdout).toContain('-> convert the file: tunekit data convert');
    expect(bad.stdout).toContain('...and 7 more');
  });

  it('validates Titan data with an end-of-life warning', async () => {
    const r = await runCli([
      'data',
      'validate',
      SAMPLES.tutorialPromptCompletion,
      '--model',
      'amazon.titan-text-express-v1',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const report = ValidationReportSchema.parse(JSON.parse(r.stdout));
    expect(report).toMatchObject({
      valid: true,
      format: 'prompt-completion',
      model: 'amazon.titan-text-express-v1:0:8k',
      records: 10,
    });
    expect(report.warnings.map((w) => w.code)).toEqual(['MODEL_END_OF_LIFE']);
  });

  it('prints file:line path: message -> hint for each problem in a broken file', async () => {
    const good = Array.from({ length: 8 }, (_, i) => novaLine(`question ${i}`, `answer number ${i}`));
    const dir = tempDir({
      'train.jsonl': [
        ...good,
        '{"prompt": "x",}',
        novaLine('Bot: hello', 'hi there'),
        JSON.stringify({
          system: 'x',
          messages: [
            { role: 'user', content: 'q' },
            { role: 'assistant', content: 'a' },
          ],
        }),
      ].join('\n'),
    });
    const r = await runCli(['data', 'validate', join(dir, 'train.jsonl'), '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['valid', 'format', 'model', 'records', 'errors', 'warnings', 'stats']),
    );
    expect(report.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([
      [9, 'INVALID_JSON'],
      [10, 'RESERVED_STRING'],
      [11, 'WRONG_FORMAT'],
      [undefined, 'MIXED_FORMATS'],
    ]);
    const human = await runCli(['data', 'validate', join(dir, 'train.jsonl')]);
    expect(human.stdout).toContain(
      `${join(dir, 'train.jsonl')}:10 messages[0].content: contains "Bot:", which Amazon Nova Micro reserves -> remove or reword "Bot:"`,
    );
  });

  it('names a binary file as such, with one error (not one per "line")', async () => {
    const dir = tempDir({ 'photo.jsonl': Buffer.from(readFileSync(process.execPath).subarray(0, 200_000)) });
    const r = await runCli(['data', 'validate', join(dir, 'photo.jsonl'), '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.errorCount).toBe(1);
    expect(report.errors[0].code).toBe('BINARY_FILE');
  });

  it('exits 2 on usage errors and 1 when the file is missing', async () => {
    expect((await runCli(['data', 'validate', SAMPLES.tutorialConversation, '--model', 'gpt-9'])).code).toBe(
      2,
    );
    expect(
      (await runCli(['data', 'validate', SAMPLES.tutorialConversation, '--max-errors', 'lots'])).code,
    ).toBe(2);
    expect((await runCli(['data', 'validate'])).code).toBe(2);
    const missing = await runCli(['data', 'validate', '/nonexistent/train.jsonl']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
  });

  it('uses the project config baseModel when --model is absent', async () => {
    const dir = tempDir({
      'tunekit.config.json': JSON.stringify({ baseModel: 'amazon.titan-text-express-v1:0:8k' }),
      'train.jsonl': readFileSync(SAMPLES.tutorialPromptCompletion),
    });
    const r = await runCli(['data', 'validate', 'train.jsonl', '--json'], { cwd: dir });
    expect(JSON.parse(r.stdout).model).toBe('amazon.titan-text-express-v1:0:8k');
  });

  it('teaches with --help', async () => {
    const r = await runCli(['data', 'validate', '--help']);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--max-errors');
  });
});

describe('data validate on files that are not JSON Lines text', () => {
  it('names a gzip file and a binary file as such, with one error each', async () => {
    const { gzipSync } = await import('node:zlib');
    const lines = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ prompt: `q${i}`, completion: 'a' }),
    ).join('\n');
    const dir = tempDir({
      'train.jsonl.gz': gzipSync(lines),
      'train.bin': Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256)),
    });
    const gz = await runCli(['data', 'validate', 'train.jsonl.gz', '--json'], { cwd: dir });
    expect(gz.code).toBe(1);
    const gzReport = JSON.parse(gz.stdout);
    expect(gzReport.errorCount).toBe(1);
    expect(gzReport.errors[0]).toMatchObject({ code: 'GZIP_FILE' });
    const text = await runCli(['data', 'validate', 'train.jsonl.gz'], { cwd: dir });
    expect(text.stdout + text.stderr).toMatch(/gzip-compressed file.*-> decompress it first/);
    const bin = await runCli(['data', 'validate', 'train.bin', '--json'], { cwd: dir });
    expect(bin.code).toBe(1);
    const binReport = JSON.parse(bin.stdout);
    expect(binReport.errorCount).toBe(1);
    expect(binReport.errors[0]).toMatchObject({ code: 'BINARY_FILE' });
  });
});
