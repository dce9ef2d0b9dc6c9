import { describe, expect, it } from 'vitest';
import { distillationJsonl } from '../../../dataset/convert.ts';
import { createLocalEngine } from '../../engine/index.ts';
import { DistillationDataError, teacherAnswers } from './distill.ts';

const engine = createLocalEngine();

describe('distillation: the local teacher answers every prompt', () => {
  it("answers each prompt as the base model does, replacing a record's own answer", () => {
    const prompt = 'What should I do if my card is lost or stolen?';
    const [answered] = teacherAnswers(
      engine,
      { family: 'nova' },
      [
        {
          system: 'Be brief.',
          turns: [
            { role: 'user', text: prompt },
            { role: 'assistant', text: 'golden' },
          ],
        },
      ],
      1,
    );
    const base = engine.generate({
      family: 'nova',
      system: 'Be brief.',
      messages: [{ role: 'user', text: prompt }],
      maxTokens: 1000,
      temperature: 0,
      topP: 1,
      stopSequences: [],
    });
    expect(answered!.turns).toEqual([
      { role: 'user', text: prompt },
      { role: 'assistant', text: base.text },
    ]);
    expect(base.text).toMatch(/block the card/);
    // maxResponseLengthForInference cuts the teacher's answer.
    const [short] = teacherAnswers(engine, { family: 'nova', maxResponseTokens: 3 }, [answered!], 1);
    expect(short!.turns[1]!.text.split(' ').length).toBeLessThanOrEqual(3);
  });

  it('refuses a record without a user prompt, and writes the answers as bedrock-conversation-2024', () => {
    expect(() =>
      teacherAnswers(engine, { family: 'nova' }, [{ turns: [{ role: 'assistant', text: 'hi' }] }], 1),
    ).toThrow(DistillationDataError);
    const line = JSON.parse(
      distillationJsonl([
        {
          system: 's',
          turns: [
            { role: 'user', text: 'q' },
            { role: 'assistant', text: 'a' },
          ],
        },
      ]),
    );
    expect(line).toEqual({
      schemaVersion: 'bedrock-conversation-2024',
      system: [{ text: 's' }],
      messages: [
        { role: 'user', content: [{ text: 'q' }] },
        { role: 'assistant', content: [{ text: 'a' }] },
      ],
    });
  });
});
