import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDataset } from '../../src/dataset/index.ts';
import { SAMPLES } from '../../src/samples.ts';
import { runCli, tempDir } from './helpers/cli.ts';

describe('tunekit data stats | estimate | manifest', () => {
  it('prints stats with percentiles, as text and JSON', async () => {
    const text = await runCli(['data', 'stats', SAMPLES.tutorialConversation]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/records\s+10/);
    expect(text.stdout).toContain('characters / 6');
    const json = JSON.parse((await runCli(['data', 'stats', SAMPLES.tutorialConversation, '--json'])).stdout);
    expect(json.records).toBe(10);
    expect(json.tokensPerRecord.p50).toBeLessThanOrEqual(json.tokensPerRecord.p90);
  });

  it('estimates cost with sources and says unknown instead of guessing', async () => {
    const nova = await runCli(['data', 'estimate', SAMPLES.tutorialConversation]);
    expect(nova.code).toBe(0);
    expect(nova.stdout).toMatch(/training\s+unknown/);
    const titan = JSON.parse(
      (
        await runCli([
          'data',
          'estimate',
          SAMPLES.tutorialPromptCompletion,
          '--model',
          'titan-text-express',
          '--epochs',
          '3',
          '--json',
        ])
      ).stdout,
    );
    expect(titan.epochs).toBe(3);
    expect(titan.training.price.source).toMatch(/^https:\/\/github\.com\/sungminna\/GapS\//);
    expect((await runCli(['data', 'estimate', SAMPLES.tutorialConversation, '--epochs', '0'])).code).toBe(2);
  });

  it("cites public URLs with dates, points an unknown price at AWS's pricing page, and takes the user's price", async () => {
    const nova = await runCli(['data', 'estimate', SAMPLES.tutorialConversation]);
    expect(nova.stdout).not.toMatch(/bedrock-facts|§/);
    expect(nova.stdout).toMatch(
      /training\s+unknown .*today's price is at https:\/\/aws\.amazon\.com\/bedrock\/pricing\/; checked \d{4}-\d{2}-\d{2}/,
    );
    expect(nova.stdout).toMatch(
      /input\s+\$\S+ .*\$0\.000035 per 1,000 input tokens .*https:\/\/\S+.*, 2025\)/,
    );
    expect(nova.stdout).toMatch(/at the base model's on-demand rate \(https:\/\/aws\.amazon\.com\/blogs\//);
    const priced = JSON.parse(
      (
        await runCli([
          'data',
          'estimate',
          SAMPLES.tutorialConversation,
          '--training-price',
          '0.002',
          '--storage-price',
          '1.5',
          '--json',
        ])
      ).stdout,
    );
    expect(priced.training.usd).toBeCloseTo((priced.trainedTokens / 1000) * 0.002, 4);
    expect(priced.training.price.source).toBe('your --training-price');
    expect(priced.firstMonthKnownTotal).toBeCloseTo(priced.training.usd + 1.5, 4);
    const dollar = await runCli([
      'data',
      'estimate',
      SAMPLES.tutorialConversation,
      '--storage-price',
      '$1.95',
    ]);
    expect(dollar.code).toBe(2);
    expect(dollar.stderr).toMatch(/--storage-price must be a price in USD such as 0\.001, got "\$1\.95"/);
  });

  it('prints a manifest whose sha256 matches the file', async () => {
    const m = JSON.parse((await runCli(['data', 'manifest', SAMPLES.tutorialConversation, '--json'])).stdout);
    const { createHash } = await import('node:crypto');
    expect(m.sha256).toBe(
      createHash('sha256').update(readFileSync(SAMPLES.tutorialConversation)).digest('hex'),
    );
    expect(m.records).toBe(10);
  });
});

describe('tunekit data split | convert', () => {
  it('splits into <name>.train.jsonl and <name>.validation.jsonl', async () => {
    const dir = tempDir({ 'all.jsonl': readFileSync(SAMPLES.tutorialConversation) });
    const r = await runCli(['data', 'split', join(dir, 'all.jsonl'), '--validation', '0.3', '--seed', '3']);
    expect(r.code).toBe(0);
    const train = readFileSync(join(dir, 'all.train.jsonl'), 'utf8').trim().split('\n');
    const validation = readFileSync(join(dir, 'all.validation.jsonl'), 'utf8').trim().split('\n');
    expect(train.length + validation.length).toBe(10);
    expect((await runCli(['data', 'split', join(dir, 'all.jsonl'), '--validation', '2'])).code).toBe(2);
  });

  it('converts prompt/completion to Nova, and refuses Nova with a system prompt back to prompt/completion', async () => {
    const dir = tempDir({
      'training_data.jsonl': readFileSync(SAMPLES.tutorialPromptCompletion),
      'train.jsonl': readFileSync(SAMPLES.tutorialConversation),
    });
    const ok = await runCli([
      'data',
      'convert',
      join(dir, 'training_data.jsonl'),
      '--to',
      'bedrock-conversation-2024',
    ]);
    expect(ok.code).toBe(0);
    const out = join(dir, 'training_data.bedrock-conversation-2024.jsonl');
    expect((await validateDataset({ path: out }, { model: 'nova-micro' })).valid).toBe(true);
    const refused = await runCli(['data', 'convert', join(dir, 'train.jsonl'), '--to', 'prompt-completion']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('train.jsonl:1 the record has a system prompt');
    expect(existsSync(join(dir, 'train.prompt-completion.jsonl'))).toBe(false);
    expect((await runCli(['data', 'convert', join(dir, 'train.jsonl'), '--to', 'csv'])).code).toBe(2);
  });
});
