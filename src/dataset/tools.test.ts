import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TunekitError } from '../errors.ts';
import { CATALOG } from '../models/catalog-data.ts';
import { SAMPLES } from '../samples.ts';
import { convertDataset } from './convert.ts';
import { estimateCost } from './estimate.ts';
import { computeManifest } from './manifest.ts';
import { parseConversations } from './parse.ts';
import { distribution, percentile } from './percentiles.ts';
import { DatasetManifestSchema } from './schema.ts';
import { splitDataset } from './split.ts';
import { computeStats } from './stats.ts';
import { claude, nova, pc, tempFile } from './test-support/records.ts';
import { estimateTokens } from './tokens.ts';

describe('tokens and percentiles', () => {
  it('estimates ~6 characters per token, rounding up', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcdef')).toBe(1);
    expect(estimateTokens('abcdefg')).toBe(2);
  });

  it('uses nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(Float64Array.from(values).sort(), 50)).toBe(50);
    expect(distribution(values)).toMatchObject({
      count: 100,
      min: 1,
      p50: 50,
      p90: 90,
      p99: 99,
      max: 100,
      mean: 50.5,
    });
    expect(distribution([7])).toMatchObject({ p50: 7, p99: 7 });
    expect(distribution([1, 2, 3, 10])).toMatchObject({ p50: 2, p90: 10 });
  });
});

describe('computeStats', () => {
  it('summarises lengths, duplicates and the longest records', async () => {
    const file = tempFile(
      [pc('aaaaaa', 'bbbbbbbbbbbb'), pc('aaaaaa', 'bbbbbbbbbbbb'), pc('q', 'x'.repeat(600)), 'junk', ''].join(
        '\n',
      ),
    );
    const s = await computeStats({ path: file });
    expect(s).toMatchObject({
      records: 3,
      skippedLines: 1,
      characters: 18 + 18 + 601,
      formats: { 'prompt-completion': 3 },
    });
    expect(s.estimatedTokens).toBe(3 + 3 + 101);
    expect(s.duplicates).toEqual({ records: 1, groups: 1, examples: [{ line: 2, sameAs: 1 }] });
    expect(s.longest[0]).toEqual({ line: 3, characters: 601, estimatedTokens: 101 });
    expect(s.answerTokens.max).toBe(100);
  });
});

describe('splitDataset', () => {
  it('is deterministic per seed and never splits identical records', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => pc(`question ${i % 100}`, `answer ${i % 100}`)); // each record 3 times
    const file = tempFile(lines.join('\n'), 'all.jsonl');
    const a = await splitDataset(file, { fraction: 0.2, seed: 7 });
    const train = readFileSync(a.train.path, 'utf8').trim().split('\n');
    const validation = readFileSync(a.validation.path, 'utf8').trim().split('\n');
    expect(a.train.path).toMatch(/all\.train\.jsonl$/);
    expect(train.length + validation.length).toBe(300);
    expect(validation.length % 3).toBe(0);
    expect(validation.length).toBeGreaterThan(20);
    expect(validation.length).toBeLessThan(100);
    expect(validation.filter((l) => train.includes(l))).toEqual([]);
    const again = await splitDataset(file, { fraction: 0.2, seed: 7, force: true });
    expect(readFileSync(again.validation.path, 'utf8').trim().split('\n')).toEqual(validation);
    const other = await splitDataset(file, { fraction: 0.2, seed: 8, force: true });
    expect(readFileSync(other.validation.path, 'utf8').trim().split('\n')).not.toEqual(validation);
  });

  it('refuses to overwrite outputs and rejects a bad fraction', async () => {
    const file = tempFile(pc('a', 'b'), 'x.jsonl');
    await splitDataset(file, { fraction: 0.5, seed: 1 });
    await expect(splitDataset(file, { fraction: 0.5, seed: 1 })).rejects.toThrow(/already exists/);
    await expect(splitDataset(file, { fraction: 1.5, seed: 1, force: true })).rejects.toThrow(
      /between 0 and 1/,
    );
  });

  it('writes nothing, not even temporary files, when there is nothing to split', async () => {
    const file = tempFile('\n  \n', 'blank.jsonl');
    await expect(splitDataset(file, { fraction: 0.5, seed: 1 })).rejects.toThrow(/no records to split/);
    expect(readdirSync(dirname(file))).toEqual(['blank.jsonl']);
  });
});

describe('convertDataset', () => {
  it('converts the tutorial prompt/completion set to Nova and Claude shapes', async () => {
    const file = tempFile(readFileSync(SAMPLES.tutorialPromptCompletion), 'training_data.jsonl');
    const r = await convertDataset(file, { to: 'bedrock-conversation-2024' });
    expect(r).toMatchObject({ records: 10, refusedCount: 0, from: { 'prompt-completion': 10 } });
    const first = JSON.parse(readFileSync(r.out!, 'utf8').split('\n')[0]!);
    const original = JSON.parse(readFileSync(SAMPLES.tutorialPromptCompletion, 'utf8').split('\n')[0]!);
    expect(first.messages[1].content[0].text).toBe(original.completion);
  });

  it('refuses lossy conversions with line numbers and writes nothing', async () => {
    const file = tempFile(
      [nova('q', 'a'), nova('q2', 'a2', 'be brief'), claude('q3', 'a3'), 'oops'].join('\n'),
      'mixed.jsonl',
    );
    const r = await convertDataset(file, { to: 'prompt-completion' });
    expect(r.out).toBeUndefined();
    expect(r.refused).toEqual([
      { line: 2, reason: expect.stringContaining('system prompt') },
      { line: 4, reason: expect.stringContaining('not valid JSON') },
    ]);
    expect(() => readFileSync(file.replace('mixed.jsonl', 'mixed.prompt-completion.jsonl'))).toThrow();
    // Nor a temporary file left behind.
    expect(readdirSync(dirname(file))).toEqual(['mixed.jsonl']);
  });
});

describe('computeManifest and parseConversations', () => {
  it('fingerprints the bytes: sha256 as sha256sum computes it, records, tokens, format', async () => {
    const m = await computeManifest({ path: SAMPLES.tutorialConversation });
    DatasetManifestSchema.parse(m);
    const { createHash } = await import('node:crypto');
    expect(m.sha256).toBe(
      createHash('sha256').update(readFileSync(SAMPLES.tutorialConversation)).digest('hex'),
    );
    expect(m).toMatchObject({ records: 10, format: 'bedrock-conversation-2024' });
    expect(await computeManifest({ buffer: readFileSync(SAMPLES.tutorialConversation) })).toEqual(m);
    const mixed = await computeManifest({ buffer: Buffer.from(`${pc('a', 'b')}\n${nova('a', 'b')}\n`) });
    expect(mixed.format).toBe('mixed');
  });

  it('parses validated data into conversations and names the line of bad data', () => {
    const conversations = parseConversations(readFileSync(SAMPLES.tutorialConversation));
    expect(conversations).toHaveLength(10);
    expect(conversations[0]!.system).toBe('You are a helpful banking customer service assistant.');
    expect(conversations[0]!.turns.map((t) => t.role)).toEqual(['user', 'assistant']);
    expect(() => parseConversations(Buffer.from(`${pc('a', 'b')}\n\n{"prompt": 1}\n`))).toThrow(TunekitError);
    expect(() => parseConversations(Buffer.from(`${pc('a', 'b')}\n\n{"prompt": 1}\n`))).toThrow(/line 3/);
  });
});

describe('estimateCost', () => {
  it('cites a public URL and a date for every price of every catalog model', () => {
    for (const model of CATALOG)
      for (const [name, price] of Object.entries(model.prices)) {
        expect(price.source, `${model.id} ${name}`).toMatch(/^https:\/\//);
        expect(price.asOf, `${model.id} ${name}`).toMatch(/\d{4}|undated/);
      }
    for (const model of CATALOG)
      for (const source of [...model.sources, ...model.onDemandInference.sources])
        expect(source, model.id).toMatch(/^https:\/\//);
  });

  it('prices Titan training from the catalog and says where prices are unknown', async () => {
    const titan = await estimateCost(
      { path: SAMPLES.tutorialPromptCompletion },
      { model: 'titan-text-express', epochs: 2 },
    );
    expect(titan.trainedTokens).toBe(titan.datasetTokens * 2);
    expect(titan.training.usd).toBeCloseTo((titan.trainedTokens / 1000) * 0.008, 4);
    expect(titan.inference).toMatchObject({
      mode: 'provisioned-throughput',
      perHour: { usd: 20.5 },
      per30Days: 14760,
    });
    expect(titan.warnings[0]).toContain('end-of-life');
    const nova = await estimateCost({ path: SAMPLES.tutorialConversation }, { model: 'nova-micro' });
    expect(nova.epochs).toBe(2);
    expect(nova.training.usd).toBeNull();
    expect(nova.firstMonthKnownTotal).toBeNull();
    expect(nova.inference.mode).toBe('on-demand');
    await expect(
      estimateCost({ path: SAMPLES.tutorialConversation }, { model: 'nova-micro', epochs: 9 }),
    ).rejects.toThrow(/1–5/);
  });
});
