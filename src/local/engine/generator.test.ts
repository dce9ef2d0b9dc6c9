import { describe, expect, it } from 'vitest';
import { pick, shape } from './generator.ts';
import { createRng } from './prng.ts';

describe('shape', () => {
  const answer = 'Log in to online banking. Then choose Transfers, and confirm.';

  it('returns the whole answer with end_turn when nothing stops it', () => {
    expect(shape(answer, 100, [])).toEqual({ text: answer, outputTokens: 13, stopReason: 'end_turn' });
  });

  it('truncates on a token boundary at maxTokens', () => {
    const out = shape(answer, 4, []);
    expect(out).toEqual({ text: 'Log in to online', outputTokens: 4, stopReason: 'max_tokens' });
  });

  it('stops before the earliest stop sequence', () => {
    const out = shape(answer, 100, ['Transfers', '. Then']);
    expect(out.text).toBe('Log in to online banking');
    expect(out.stopReason).toBe('stop_sequence');
    expect(out.outputTokens).toBe(5);
  });

  it('reports max_tokens when the limit comes before the stop sequence', () => {
    expect(shape(answer, 2, ['confirm']).stopReason).toBe('max_tokens');
  });
});

describe('pick', () => {
  const scores = [0.2, 0.9, 0.85, -0.3];

  it('is argmax at temperature 0', () => {
    expect(pick(scores, 0.1, 0, 1, createRng(1))).toBe(1);
  });

  it('samples reproducibly for a seed, and spreads over close candidates', () => {
    const draw = (seed: number) =>
      Array.from({ length: 200 }, () => pick(scores, 0.1, 1, 1, createRng(seed)));
    expect(draw(7)).toEqual(draw(7));
    const rng = createRng(3);
    const picks = Array.from({ length: 400 }, () => pick(scores, 0.1, 1, 1, rng));
    expect(picks.filter((j) => j === 1).length).toBeGreaterThan(150);
    expect(picks.filter((j) => j === 2).length).toBeGreaterThan(100);
  });

  it('keeps only the nucleus: a small topP leaves the best candidate', () => {
    const rng = createRng(5);
    const picks = Array.from({ length: 100 }, () => pick(scores, 0.1, 1, 0.3, rng));
    expect(new Set(picks)).toEqual(new Set([1]));
  });
});
