import { describe, expect, it } from 'vitest';
import type { Method } from '../../models/methods.ts';
import { nova, tempFile } from '../test-support/records.ts';
import { validateDataset } from './validate-dataset.ts';

const NOVA_MICRO = 'amazon.nova-micro-v1:0:128k';
const NOVA_2_LITE = 'amazon.nova-2-lite-v1:0:256k';

const prompt = (user: string) =>
  JSON.stringify({
    schemaVersion: 'bedrock-conversation-2024',
    system: [{ text: 'You are a banking assistant.' }],
    messages: [{ role: 'user', content: [{ text: user }] }],
  });
const OMIT = Symbol('omit');
const rft = (user: string, reference: unknown) =>
  JSON.stringify({
    messages: [
      { role: 'system', content: 'Answer with the amount only.' },
      { role: 'user', content: user },
    ],
    ...(reference === OMIT ? {} : { reference_answer: reference }),
  });

async function validate(lines: string[], model: string, method: Method) {
  const path = tempFile(`${lines.join('\n')}\n`);
  return validateDataset({ path }, { model, method, workers: 0 });
}
const codes = (issues: { code: string }[]) => [...new Set(issues.map((i) => i.code))];

describe('validateDataset --method distillation', () => {
  it('takes prompt-only records and labelled ones (golden examples)', async () => {
    const lines = [
      ...Array.from({ length: 5 }, (_, i) => prompt(`Balance question ${i}?`)),
      nova('Hi?', 'Hello.'),
    ];
    const report = await validate(lines, NOVA_MICRO, 'distillation');
    expect(report).toMatchObject({ valid: true, format: 'bedrock-conversation-2024', records: 6 });
    // The same prompts are not fine-tuning data: the answer is missing.
    const ft = await validate(lines, NOVA_MICRO, 'fine-tuning');
    expect(ft.errors[0]).toMatchObject({ code: 'TOO_FEW_TURNS', line: 1, path: 'messages' });
  });

  it('names the line and path of a record with no prompt or in another format', async () => {
    const report = await validate(
      [
        prompt('ok?'),
        JSON.stringify({ schemaVersion: 'bedrock-conversation-2024', messages: [] }),
        JSON.stringify({ prompt: 'p', completion: 'c' }),
      ],
      NOVA_MICRO,
      'distillation',
    );
    expect(report.valid).toBe(false);
    expect(report.errors.map((e) => [e.line, e.code])).toEqual([
      [2, 'TOO_FEW_TURNS'],
      [3, 'WRONG_FORMAT'],
      [undefined, 'MIXED_FORMATS'],
    ]);
    expect(report.errors[1]!.message).toMatch(
      /distillation of Amazon Nova Micro needs bedrock-conversation-2024/,
    );
  });
});

describe('validateDataset --method reinforcement', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => rft(`What is ${i} + ${i}?`, { answer: 2 * i }));

  it('takes chat records with a reference answer (100 at least on Nova 2 Lite)', async () => {
    const report = await validate(hundred, NOVA_2_LITE, 'reinforcement');
    expect(report).toMatchObject({ valid: true, format: 'openai-chat', records: 100 });
    const few = await validate(hundred.slice(0, 99), NOVA_2_LITE, 'reinforcement');
    expect(few.errors).toEqual([
      expect.objectContaining({
        code: 'TOO_FEW_RECORDS',
        message: '99 records; reinforcement of Amazon Nova 2 Lite needs at least 100',
      }),
    ]);
  });

  it('reports a record missing its reference_answer with line, path and fix', async () => {
    const lines = [...hundred];
    lines[41] = rft('What is 7 + 7?', OMIT);
    const report = await validate(lines, NOVA_2_LITE, 'reinforcement');
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual([
      expect.objectContaining({
        line: 42,
        code: 'MISSING_REFERENCE',
        path: 'reference_answer',
        hint: expect.stringMatching(/add "reference_answer"/),
      }),
    ]);
  });

  it('rejects content blocks, unknown roles, and warns on an answer at the end of the prompt', async () => {
    const lines = [...hundred];
    lines[0] = JSON.stringify({
      messages: [{ role: 'user', content: [{ text: 'hi' }] }],
      reference_answer: 'x',
    });
    lines[1] = JSON.stringify({ messages: [{ role: 'tool', content: 'hi' }], reference_answer: 'x' });
    lines[2] = JSON.stringify({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
      ],
      reference_answer: 'x',
    });
    const report = await validate(lines, NOVA_2_LITE, 'reinforcement');
    expect(report.errors.map((e) => [e.line, e.code, e.path])).toEqual([
      [1, 'WRONG_TYPE', 'messages[0].content'],
      [2, 'INVALID_ROLE', 'messages[0].role'],
    ]);
    expect(report.warnings.map((w) => [w.line, w.code])).toEqual([[3, 'ANSWER_IN_PROMPT']]);
  });

  it('fine-tuning data is not reinforcement data', async () => {
    const report = await validate(
      Array.from({ length: 100 }, (_, i) => nova(`q${i}`, `a${i}`)),
      NOVA_2_LITE,
      'reinforcement',
    );
    expect(codes(report.errors)).toEqual(['WRONG_FORMAT']);
    expect(report.errors[0]!.hint).toMatch(/openai-chat/);
  });
});
