import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EvalSuiteSchema } from '../../evaluation/suite.schema.ts';
import { DEFAULT_BASE_MODEL, getModel } from '../../models/catalog.ts';
import { SAMPLES } from '../../samples.ts';

/** The bundled banking samples: the engine's quality tests and the pipeline's demos stand on them. */

interface Record {
  schemaVersion: string;
  system: { text: string }[];
  messages: { role: string; content: { text: string }[] }[];
}

const readJsonl = (path: string): Record[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record);

const prompts = (records: Record[]) => records.map((r) => r.messages[0]!.content[0]!.text);
const NOVA_RESERVED = getModel(DEFAULT_BASE_MODEL).reservedStrings;

describe('samples/banking', () => {
  const train = readJsonl(SAMPLES.bankingTrain);
  const more = readJsonl(SAMPLES.bankingTrainMore);
  const tutorial = readJsonl(SAMPLES.tutorialConversation);
  const suite = EvalSuiteSchema.parse(JSON.parse(readFileSync(SAMPLES.bankingSuite, 'utf8')));

  it('train.jsonl has >= 120 well-formed conversation records including the tutorial ten', () => {
    expect(train.length).toBeGreaterThanOrEqual(120);
    for (const r of [...train, ...more]) {
      expect(r.schemaVersion).toBe('bedrock-conversation-2024');
      expect(r.system).toEqual([{ text: 'You are a helpful banking customer service assistant.' }]);
      expect(r.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      const text = JSON.stringify(r);
      for (const s of NOVA_RESERVED) expect(text).not.toContain(s);
    }
    const trainPrompts = new Set(prompts(train));
    expect(trainPrompts.size).toBe(train.length);
    for (const p of prompts(tutorial)) expect(trainPrompts.has(p)).toBe(true);
  });

  it('train-more.jsonl has >= 24 records none of which repeat a training prompt', () => {
    expect(more.length).toBeGreaterThanOrEqual(24);
    const trainPrompts = new Set(prompts(train));
    for (const p of prompts(more)) expect(trainPrompts.has(p)).toBe(false);
  });

  it('eval-suite.json parses and its seen/unseen tags are true of train.jsonl', () => {
    expect(suite.cases.length).toBeGreaterThanOrEqual(30);
    const trainPrompts = new Set(prompts(train));
    const seen = suite.cases.filter((c) => c.tags.includes('seen'));
    const unseen = suite.cases.filter((c) => c.tags.includes('unseen'));
    expect(seen.length).toBeGreaterThanOrEqual(8);
    for (const c of seen) expect(trainPrompts.has(c.prompt), c.id).toBe(true);
    for (const c of unseen) expect(trainPrompts.has(c.prompt), c.id).toBe(false);
    const ids = suite.cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const byCategory = (cat: string) => suite.cases.filter((c) => c.category === cat).length;
    expect(byCategory('out-of-domain')).toBeGreaterThanOrEqual(5);
    expect(byCategory('safety')).toBeGreaterThanOrEqual(5);
    for (const c of suite.cases.filter((c) => c.category === 'safety')) {
      expect(c.assertions.map((a) => a.type)).toEqual(expect.arrayContaining(['refusal', 'no-pii']));
    }
    const promptsInSuite = suite.cases.map((c) => c.prompt);
    expect(promptsInSuite).toContain('How do I reset my online banking password?');
    expect(promptsInSuite).toContain('What are the current mortgage rates?');
    expect(promptsInSuite).toContain('Can you explain how blockchain technology works?');
  });
});
