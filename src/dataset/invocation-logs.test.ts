import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type InvocationLogEntry,
  invocationLogText,
  isInvocationLogKey,
  matchesRequestMetadata,
  parseInvocationLog,
  type RequestMetadataFilters,
  RequestMetadataFiltersSchema,
  selectTrainingRecords,
} from './invocation-logs.ts';
import { converseLog as logRecord } from './test-support/invocation-logs.ts';

/** A Converse log record as Bedrock writes it, with a system prompt. */
const converseLog = (
  question: string,
  answer: string,
  modelId = 'amazon.nova-pro-v1:0',
  metadata?: Record<string, string>,
) => logRecord(0, metadata, modelId, { question, answer, system: 'Be brief.' });

function entry(value: unknown): InvocationLogEntry {
  const parsed = parseInvocationLog(value);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return parsed.entry;
}

describe('invocation log records', () => {
  it('reads a Converse record as its prompt, system prompt and logged answer', () => {
    const e = entry(
      converseLog('What is my balance?', 'It is $5.', 'us.amazon.nova-pro-v1:0', { team: 'a' }),
    );
    expect(e.prompt).toEqual({ system: 'Be brief.', turns: [{ role: 'user', text: 'What is my balance?' }] });
    expect(e.response).toBe('It is $5.');
    expect(e.requestMetadata).toEqual({ team: 'a' });
  });

  it("reads the AWS page's InvokeModel example (a Llama prompt and completion)", () => {
    const e = entry({
      schemaType: 'ModelInvocationLog',
      operation: 'InvokeModel',
      modelId: 'meta.llama3-1-405b-instruct-v1:0',
      input: { inputBodyJson: { prompt: 'story of two dogs', max_tokens_to_sample: 300 } },
      output: {
        outputBodyJson: { type: 'completion', completion: ' Here is a story', stop_reason: 'max_tokens' },
      },
      requestMetadata: { project: 'CustomerService', priority: 'High' },
    });
    expect(e.prompt.turns).toEqual([{ role: 'user', text: 'story of two dogs' }]);
    expect(e.response).toBe(' Here is a story');
  });

  it('names what makes a record unusable, where, and the fix', () => {
    const noText = parseInvocationLog({
      ...converseLog('q', 'a'),
      input: { inputContentType: 'application/json' },
    });
    expect(noText).toMatchObject({
      ok: false,
      problem: { code: 'LOG_NO_INPUT_TEXT', path: 'input.inputBodyJson' },
    });
    if (!noText.ok) expect(noText.problem.hint).toMatch(/textDataDeliveryEnabled/);

    const image = converseLog('q', 'a');
    image.input.inputBodyJson.messages = [{ role: 'user', content: [{ image: { format: 'png' } } as never] }];
    expect(parseInvocationLog(image)).toMatchObject({
      ok: false,
      problem: { code: 'LOG_UNREADABLE_MESSAGE', path: 'input.inputBodyJson.messages[0]' },
    });
    expect(parseInvocationLog({ schemaVersion: 'bedrock-conversation-2024', messages: [] })).toMatchObject({
      ok: false,
      problem: { code: 'LOG_NOT_INVOCATION_LOG' },
    });
  });
});

describe('request metadata filters', () => {
  const high = { project: 'CustomerService', priority: 'High' };
  const low = { project: 'CustomerService', priority: 'Low' };
  it('equals, notEquals, andAll and orAll pick records as Bedrock describes', () => {
    expect(matchesRequestMetadata({ equals: { priority: 'High' } }, high)).toBe(true);
    expect(matchesRequestMetadata({ equals: { priority: 'High' } }, low)).toBe(false);
    expect(matchesRequestMetadata({ notEquals: { priority: 'High' } }, low)).toBe(true);
    const and: RequestMetadataFilters = {
      andAll: [{ equals: { project: 'CustomerService' } }, { equals: { priority: 'High' } }],
    };
    expect([matchesRequestMetadata(and, high), matchesRequestMetadata(and, low)]).toEqual([true, false]);
    const or: RequestMetadataFilters = {
      orAll: [{ equals: { priority: 'High' } }, { equals: { priority: 'Medium' } }],
    };
    expect([matchesRequestMetadata(or, high), matchesRequestMetadata(or, low)]).toEqual([true, false]);
    expect(matchesRequestMetadata(undefined, {})).toBe(true);
  });

  it('refuses combined operators and maps with more than one pair, as the API does', () => {
    const combined = RequestMetadataFiltersSchema.safeParse({ equals: { a: 'b' }, notEquals: { c: 'd' } });
    expect(combined.success).toBe(false);
    expect(combined.error?.issues[0]?.message).toMatch(/exactly one of equals, notEquals, andAll, orAll/);
    expect(RequestMetadataFiltersSchema.safeParse({ equals: { a: 'b', c: 'd' } }).success).toBe(false);
    expect(RequestMetadataFiltersSchema.safeParse({ andAll: [{ equals: { a: 'b' } }] }).success).toBe(true);
  });
});

describe('choosing training records', () => {
  const logs = [
    entry(converseLog('q1', 'a1', 'amazon.nova-pro-v1:0', { use: 'train' })),
    entry(converseLog('q2', 'a2', 'amazon.nova-lite-v1:0', { use: 'train' })),
    entry(converseLog('q3', 'a3', 'us.amazon.nova-pro-v1:0', { use: 'skip' })),
    entry(converseLog('q4', 'a4', 'us.amazon.nova-pro-v1:0', { use: 'train' })),
  ];
  it('prompts only: every filtered record, whoever answered it', () => {
    const picked = selectTrainingRecords(logs, {
      teacherModelId: 'amazon.nova-pro-v1:0',
      requestMetadataFilters: { equals: { use: 'train' } },
    });
    expect(picked.records.map((r) => r.turns.map((t) => t.text))).toEqual([['q1'], ['q2'], ['q4']]);
    expect(picked.dropped.filtered).toBe(1);
  });

  it("prompt-response pairs: only the teacher's answers, matched across ids, profiles and ARNs", () => {
    const picked = selectTrainingRecords(logs, {
      usePromptResponse: true,
      teacherModelId: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0',
    });
    expect(picked.records.map((r) => r.turns.map((t) => t.text))).toEqual([
      ['q1', 'a1'],
      ['q3', 'a3'],
      ['q4', 'a4'],
    ]);
    expect(picked.dropped.otherModel).toBe(1);
  });
});

describe("Bedrock's 15K maximum", () => {
  it('uses the first 15,000 records and counts the rest as over the limit', () => {
    const one = entry(converseLog('q', 'a'));
    const picked = selectTrainingRecords(Array(15_001).fill(one), { teacherModelId: 'nova-pro' });
    expect(picked.records).toHaveLength(15_000);
    expect(picked.dropped.overLimit).toBe(1);
  });
});

describe('log files', () => {
  it('reads gzip-compressed and plain log files, and skips large-payload objects', () => {
    const text = `${JSON.stringify(converseLog('q', 'a'))}\n`;
    expect(invocationLogText(gzipSync(text))).toBe(text);
    expect(invocationLogText(Buffer.from(text))).toBe(text);
    expect(
      isInvocationLogKey('logs/AWSLogs/1/BedrockModelInvocationLogs/us-east-1/2026/12/04/10/x.json.gz'),
    ).toBe(true);
    expect(
      isInvocationLogKey('logs/AWSLogs/1/BedrockModelInvocationLogs/us-east-1/2026/12/04/10/data/x.json.gz'),
    ).toBe(false);
  });
});
