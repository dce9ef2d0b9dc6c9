import { describe, expect, it } from 'vitest';
import { heldOutSlice, withoutHeldOut } from './suite-source.ts';

const rft = (i: number, reference: unknown) =>
  JSON.stringify({
    messages: [
      { role: 'system', content: 'Answer with the amount only.' },
      { role: 'user', content: `What is ${i} + ${i}?` },
    ],
    reference_answer: reference,
  });

describe('held-out evaluation cases from reinforcement records', () => {
  it('asks the prompt and expects the reference_answer, holding the record out of training', () => {
    const text = Array.from({ length: 40 }, (_, i) => rft(i, String(2 * i))).join('\n');
    const { cases, lines } = heldOutSlice(text);
    expect(cases.length).toBeGreaterThan(0);
    const first = cases[0]!;
    const i = Number(/What is (\d+)/.exec(first.prompt)![1]);
    expect(first).toMatchObject({
      category: 'in-domain',
      reference: String(2 * i),
      system: 'Answer with the amount only.',
    });
    const kept = withoutHeldOut(text);
    expect(kept.heldOut).toBe(lines.size);
    expect(kept.text).not.toContain(`"What is ${i} + ${i}?"`);
  });

  it('makes no case of a reference the grader alone can read (an object)', () => {
    const text = Array.from({ length: 40 }, (_, i) => rft(i, { amount: 2 * i })).join('\n');
    expect(heldOutSlice(text).cases).toEqual([]);
  });
});
