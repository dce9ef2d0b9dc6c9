import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES } from '../../src/samples.ts';
import { runCli, tempDir } from './helpers/cli.ts';

/** `tunekit data validate | estimate | convert --method ...` as a user runs them, with real bad input. */

const rft = (i: number, reference = true) =>
  JSON.stringify({
    messages: [
      { role: 'system', content: 'Answer with the amount only.' },
      { role: 'user', content: `What is ${i} + ${i}?` },
    ],
    ...(reference ? { reference_answer: { amount: 2 * i } } : {}),
  });
const rftFile = (missingAt?: number) =>
  `${Array.from({ length: 120 }, (_, i) => rft(i, i !== missingAt)).join('\n')}\n`;

describe('tunekit data --method', () => {
  it('validate --method reinforcement names the line missing its reference_answer and the fix', async () => {
    const dir = tempDir({ 'ok.jsonl': rftFile(), 'bad.jsonl': rftFile(6) });
    const ok = await runCli(
      ['data', 'validate', 'ok.jsonl', '--method', 'reinforcement', '--model', 'nova-2-lite'],
      {
        cwd: dir,
      },
    );
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await runCli(
      ['data', 'validate', 'bad.jsonl', '--method', 'reinforcement', '--model', 'nova-2-lite'],
      {
        cwd: dir,
      },
    );
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/bad\.jsonl:7 reference_answer: missing "reference_answer"/);
    expect(bad.stdout).toMatch(/add "reference_answer"/);
  });

  it('validate refuses a method the model does not support and names the models that do', async () => {
    const dir = tempDir({ 'ok.jsonl': rftFile() });
    const r = await runCli(
      ['data', 'validate', 'ok.jsonl', '--method', 'reinforcement', '--model', 'nova-micro'],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Amazon Nova Micro .* does not support reinforcement/);
    expect(r.stderr).toMatch(/--model .*amazon\.nova-2-lite-v1:0:256k/);
  });

  it('validate takes the method from the config: fine-tuning data is refused as reinforcement data', async () => {
    const dir = tempDir({
      'tunekit.config.json': JSON.stringify({
        baseModel: 'amazon.nova-2-lite-v1:0:256k',
        customization: { method: 'reinforcement', reinforcement: { grader: 'graders/grader.ts' } },
      }),
    });
    const r = await runCli(['data', 'validate', SAMPLES.bankingTrain], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/WRONG_FORMAT|needs OpenAI chat completions/);
  });

  it('convert --method distillation drops the answers, and the result validates as distillation prompts', async () => {
    const dir = tempDir();
    const out = join(dir, 'prompts.jsonl');
    const r = await runCli(['data', 'convert', SAMPLES.bankingTrain, '--method', 'distillation', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/distillation prompts \(bedrock-conversation-2024, answers dropped\)/);
    const first = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!);
    expect(first.messages.at(-1).role).toBe('user');
    const valid = await runCli(['data', 'validate', out, '--method', 'distillation']);
    expect(valid.code, valid.stdout).toBe(0);
    // The same prompts are not fine-tuning data: every record lacks its answer.
    const asFt = await runCli(['data', 'validate', out, '--method', 'fine-tuning']);
    expect(asFt.code).toBe(1);
  });

  it('convert --method distillation refuses reinforcement records with their line numbers and writes nothing', async () => {
    const lines = readFileSync(SAMPLES.bankingTrain, 'utf8').trim().split('\n').slice(0, 5);
    lines.splice(2, 0, rft(1));
    const dir = tempDir({ 'mixed.jsonl': `${lines.join('\n')}\n` });
    const r = await runCli(['data', 'convert', 'mixed.jsonl', '--method', 'distillation'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/mixed\.jsonl:3 the record is a reinforcement record: its reference_answer/);
    expect(existsSync(join(dir, 'mixed.distillation.jsonl'))).toBe(false);
  });

  it("estimate --method distillation prices the teacher's answers with its source and the stated assumption", async () => {
    const r = await runCli([
      'data',
      'estimate',
      SAMPLES.bankingTrain,
      '--method',
      'distillation',
      '--teacher',
      'nova-pro',
      '--max-response-tokens',
      '500',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.method).toBe('distillation');
    expect(e.teacher.model).toBe('amazon.nova-pro-v1:0');
    // Every prompt answered with at most 500 tokens at Nova Pro's output price ($0.0032 / 1K, sourced).
    expect(e.teacher.output.usd).toBeCloseTo((e.records * 500 * 0.0032) / 1000, 4);
    expect(e.teacher.output.price.source).toMatch(/^https:\/\//);
    expect(e.teacher.assumption).toMatch(/upper bound/);
    // The student's training price is not in the catalog: unknown, never guessed.
    expect(e.training.usd).toBeNull();
    const text = await runCli([
      'data',
      'estimate',
      SAMPLES.bankingTrain,
      '--method',
      'distillation',
      '--teacher',
      'gpt-4o',
    ]);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/"gpt-4o" is not a distillation teacher/);
  });
});
