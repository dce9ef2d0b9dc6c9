import { describe, expect, it } from 'vitest';
import { SAMPLES } from '../../samples.ts';
import { ValidationReportSchema } from '../schema.ts';
import { claude, nova, novaLines, pc, tempFile } from '../test-support/records.ts';
import { validateDataset } from './validate-dataset.ts';

const NOVA = 'amazon.nova-micro-v1:0:128k';

/** Validates `lines` (joined with \n) after 8 good Nova records, so record-count rules stay quiet. */
async function check(lines: (string | Buffer)[], model = NOVA, pad = 8) {
  const parts = [
    ...novaLines(pad).map((l) => Buffer.from(`${l}\n`)),
    ...lines.map((l) =>
      typeof l === 'string' ? Buffer.from(`${l}\n`) : Buffer.concat([l, Buffer.from('\n')]),
    ),
  ];
  const report = await validateDataset({ path: tempFile(Buffer.concat(parts)) }, { model, workers: 0 });
  ValidationReportSchema.parse(report);
  return report;
}
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('validateDataset', () => {
  it('accepts the tutorial sets in their own formats', async () => {
    const nova = await validateDataset({ path: SAMPLES.tutorialConversation }, { model: NOVA });
    expect(nova).toMatchObject({
      valid: true,
      records: 10,
      errorCount: 0,
      format: 'bedrock-conversation-2024',
    });
    const titan = await validateDataset(
      { path: SAMPLES.tutorialPromptCompletion },
      { model: 'amazon.titan-text-express-v1' },
    );
    expect(titan.valid).toBe(true);
    expect(codes(titan.warnings)).toEqual(['MODEL_END_OF_LIFE']);
  });

  it('reports binary junk, invalid UTF-8 and NUL bytes on their own lines without crashing', async () => {
    const r = await check([
      Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x00]),
      Buffer.from('{"prompt": "caf\xe9"}', 'latin1'),
      nova('ok', 'fine answer'),
    ]);
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([
      [9, 'BINARY_DATA'],
      [10, 'INVALID_UTF8'],
    ]);
    expect(r.errors[1]!.message).toContain('0xe9');
    expect(r.records).toBe(11);
  });

  it('locates the bad byte in a long invalid-UTF-8 line', async () => {
    const line = Buffer.concat([
      Buffer.from(`{"prompt": "${'a'.repeat(2_000_000)}`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    const r = await check([line]);
    expect(r.errors).toEqual([expect.objectContaining({ line: 9, code: 'INVALID_UTF8' })]);
    expect(r.errors[0]!.message).toContain('0xc3 at byte 2000013');
  });

  it('reports a 5 MB line as too long for the model, on its line', async () => {
    const r = await check([nova('q', 'x'.repeat(5_000_000))]);
    expect(r.errors).toEqual([expect.objectContaining({ line: 9, code: 'RECORD_TOO_LONG' })]);
  });

  it('skips a line over 16 MB without holding it, and keeps counting lines after it', async () => {
    const r = await check(['{"prompt": "' + 'y'.repeat(17 * 1024 * 1024) + '"}', 'not json']);
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([
      [9, 'LINE_TOO_LONG'],
      [10, 'INVALID_JSON'],
    ]);
  });

  it('flags a BOM as an error and CRLF endings as a warning', async () => {
    const body = novaLines(8).join('\r\n');
    const r = await validateDataset(
      { buffer: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]) },
      { model: NOVA },
    );
    expect(r.errors).toEqual([expect.objectContaining({ line: 1, code: 'BOM' })]);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'CRLF_LINE_ENDINGS' })]);
    expect(r.records).toBe(8);
  });

  it('explains trailing commas, pretty-printed JSON, arrays and scalars', async () => {
    const r = await check([
      '{"schemaVersion": "bedrock-conversation-2024", "messages": [],}',
      '{',
      '[{"prompt": "a"}]',
      '42',
    ]);
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([
      [9, 'INVALID_JSON'],
      [10, 'INVALID_JSON'],
      [11, 'NOT_AN_OBJECT'],
      [12, 'NOT_AN_OBJECT'],
    ]);
    expect(r.errors[0]!.hint).toContain('trailing comma');
    expect(r.errors[1]!.hint).toContain('single line');
    expect(r.errors[2]!.message).toContain('array');
  });

  it('rejects blank lines in the middle of the file but not the final newline', async () => {
    const r = await check(['', '   ', nova('q', 'answer')]);
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([
      [9, 'BLANK_LINE'],
      [10, 'BLANK_LINE'],
    ]);
    expect(r.stats.blankLines).toBe(2);
  });

  it('checks roles: invalid names, order, first user and last assistant', async () => {
    const msg = (role: string, text: string) => ({ role, content: [{ text }] });
    const rec = (...messages: object[]) =>
      JSON.stringify({ schemaVersion: 'bedrock-conversation-2024', messages });
    const r = await check([
      rec(msg('system', 'be nice'), msg('user', 'hi'), msg('assistant', 'hello')),
      rec(msg('assistant', 'hello'), msg('user', 'hi')),
      rec(msg('user', 'a'), msg('user', 'b'), msg('assistant', 'c')),
      rec(msg('user', 'only a question')),
    ]);
    expect(r.errors.map((e) => [e.line, e.code, e.path])).toEqual([
      [9, 'INVALID_ROLE', 'messages[0].role'],
      [10, 'ROLE_ORDER', 'messages[0].role'],
      [10, 'ROLE_ORDER', 'messages[1].role'],
      [11, 'ROLE_ORDER', 'messages[1].role'],
      [12, 'TOO_FEW_TURNS', 'messages'],
    ]);
    expect(r.errors[0]!.hint).toContain('top-level "system"');
  });

  it('finds Nova reserved strings in prompts (error) and answers (warning)', async () => {
    const r = await check([
      nova('User: what is my balance? Bot:', 'Your balance is shown in the app.'),
      nova('Fine question', 'Assistant: here'),
    ]);
    expect(r.errors.map((e) => [e.line, e.code, e.path])).toEqual([
      [9, 'RESERVED_STRING', 'messages[0].content'],
      [9, 'RESERVED_STRING', 'messages[0].content'],
    ]);
    expect(r.errors[0]!.message).toContain('"User:"');
    expect(r.warnings.map((w) => [w.line, w.code])).toEqual([[10, 'RESERVED_STRING']]);
  });

  it('says when a record is in another model family’s format', async () => {
    const r = await check([claude('What is APR?', 'The yearly cost of credit.'), pc('q', 'a')]);
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([
      [9, 'WRONG_FORMAT'],
      [10, 'WRONG_FORMAT'],
      [undefined, 'MIXED_FORMATS'],
    ]);
    expect(r.errors[0]!.message).toContain('Claude 3 Haiku messages');
    expect(r.errors[0]!.hint).toContain('tunekit data convert');
  });

  it('reports missing, unknown and wrongly typed fields with JSON paths', async () => {
    const r = await check([
      JSON.stringify({
        messages: [
          { role: 'user', content: [{ text: 'q' }] },
          { role: 'assistant', content: [{ text: 'a' }] },
        ],
        extra: 1,
      }),
      JSON.stringify({
        schemaVersion: 'bedrock-conversation-2024',
        messages: [
          { role: 'user', content: 'plain' },
          { role: 'assistant', content: [{ text: 5 }] },
        ],
      }),
    ]);
    expect(r.errors.map((e) => [e.line, e.code, e.path])).toEqual([
      [9, 'MISSING_FIELD', 'schemaVersion'],
      [9, 'UNKNOWN_FIELD', 'extra'],
      [10, 'WRONG_TYPE', 'messages[0].content'],
      [10, 'WRONG_TYPE', 'messages[1].content[0].text'],
    ]);
  });

  it('checks the system prompt shape per model (Llama 3.2 allows one element; Claude needs a string)', async () => {
    const twoSystems = JSON.stringify({
      schemaVersion: 'bedrock-conversation-2024',
      system: [{ text: 'a' }, { text: 'b' }],
      messages: [
        { role: 'user', content: [{ text: 'q' }] },
        { role: 'assistant', content: [{ text: 'answer' }] },
      ],
    });
    const llama = await check([twoSystems], 'meta.llama3-2-1b-instruct-v1:0:128k');
    expect(llama.errors).toEqual([
      expect.objectContaining({ line: 9, code: 'SYSTEM_SHAPE', path: 'system' }),
    ]);
    expect((await check([twoSystems])).errors).toEqual([]);
    const badClaude = JSON.stringify({
      system: ['x'],
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a b c' },
      ],
    });
    const r = await validateDataset(
      { buffer: Buffer.from(`${badClaude}\n${claude('q', 'answer', 'be brief')}\n`) },
      { model: 'claude-3-haiku' },
    );
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([[1, 'SYSTEM_SHAPE']]);
  });

  it('reports empty text as an error and near-empty answers as a warning', async () => {
    const r = await check([nova('   ', 'an answer'), nova('a question', 'ok')]);
    expect(r.errors).toEqual([
      expect.objectContaining({ line: 9, code: 'EMPTY_TEXT', path: 'messages[0].content' }),
    ]);
    expect(r.warnings).toEqual([expect.objectContaining({ line: 10, code: 'NEAR_EMPTY_ANSWER' })]);
  });

  it('warns about duplicates, likely card numbers and e-mail addresses', async () => {
    const dup = nova('How do I reset my PIN, case 3?', 'Open the app, choose Cards, then Reset PIN (3).');
    const r = await check([
      dup,
      nova('My card is 4111 1111 1111 1111', 'Please never share it.'),
      nova('Order 1234567890123', 'Noted.'),
      nova('mail jane.doe@example.com', 'Thanks.'),
    ]);
    expect(r.valid).toBe(true);
    expect(r.warnings.map((w) => [w.line, w.code])).toEqual([
      [10, 'PII_CARD_NUMBER'],
      [12, 'PII_EMAIL'],
      [9, 'DUPLICATE_RECORD'],
    ]);
    expect(r.warnings[2]!.message).toBe('identical to line 4');
    expect(r.stats.duplicates).toBe(1);
  });

  it('warns about records near the length limit and media it cannot check', async () => {
    const long = await check([pc('q', 'y'.repeat(21_000))], 'titan-text-express', 0);
    expect(long.warnings.map((w) => [w.line, w.code])).toEqual([
      [1, 'LONG_RECORD'],
      [undefined, 'MODEL_END_OF_LIFE'],
    ]);
    const image = JSON.stringify({
      schemaVersion: 'bedrock-conversation-2024',
      messages: [
        {
          role: 'user',
          content: [
            { text: 'what is this?' },
            { image: { format: 'png', source: { s3Location: { uri: 's3://b/x.png' } } } },
          ],
        },
        { role: 'assistant', content: [{ text: 'a cheque' }] },
      ],
    });
    const media = await check([image]);
    expect(media.valid).toBe(true);
    expect(media.warnings).toEqual([
      expect.objectContaining({ line: 9, code: 'MEDIA_NOT_CHECKED', path: 'messages[0].content[1]' }),
    ]);
  });

  it('enforces record-count bounds from the catalog (Nova needs 8)', async () => {
    const r = await validateDataset({ buffer: Buffer.from(novaLines(3).join('\n')) }, { model: NOVA });
    expect(codes(r.errors)).toEqual(['TOO_FEW_RECORDS']);
    expect(r.errors[0]).not.toHaveProperty('line');
    expect(r.errors[0]!.message).toContain('at least 8');
    const empty = await validateDataset({ buffer: Buffer.alloc(0) }, { model: NOVA });
    expect(codes(empty.errors)).toEqual(['NO_RECORDS']);
    const llamaVal = await validateDataset(
      { buffer: Buffer.from(Array.from({ length: 1001 }, (_, i) => pc(`q${i}`, `answer ${i}`)).join('\n')) },
      { model: 'llama-3.1-8b', role: 'validation' },
    );
    expect(codes(llamaVal.errors)).toEqual(['TOO_MANY_RECORDS']);
  });

  it('reports read progress up to the whole input', async () => {
    const buffer = Buffer.from(novaLines(200).join('\n'));
    const seen: number[] = [];
    await validateDataset(
      { buffer },
      { model: NOVA, chunkBytes: 4096, onProgress: (done, total) => seen.push(done / total) },
    );
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.at(-1)).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('caps the lists but counts everything', async () => {
    const r = await validateDataset(
      { buffer: Buffer.from(Array.from({ length: 30 }, () => 'bad').join('\n')) },
      { model: NOVA, maxIssues: 5 },
    );
    expect(r.errors).toHaveLength(5);
    expect(r.errorCount).toBe(30);
    expect(r.issueCounts.INVALID_JSON).toBe(30);
  });

  it('gives the same report with worker threads over many small chunks (line numbers exact)', async () => {
    const lines = novaLines(400);
    lines[57] = 'broken {';
    lines[58] = nova('User: hi', 'answer');
    lines[333] = lines[10]!;
    lines[398] = '';
    const buffer = Buffer.from(lines.join('\n'));
    const inline = await validateDataset({ buffer }, { model: NOVA, workers: 0, chunkBytes: 4096 });
    const parallel = await validateDataset({ buffer }, { model: NOVA, workers: 2, chunkBytes: 4096 });
    expect(parallel).toEqual(inline);
    expect(inline.errors.map((e) => [e.line, e.code])).toEqual([
      [58, 'INVALID_JSON'],
      [59, 'RESERVED_STRING'],
      [399, 'BLANK_LINE'],
    ]);
    expect(inline.warnings).toEqual([
      expect.objectContaining({ line: 334, code: 'DUPLICATE_RECORD', message: 'identical to line 11' }),
    ]);
  });
});
