import { describe, expect, it } from 'vitest';
import { CandidateSampler, EXACT_MAX_ENTRIES, LEXICAL_NEGATIVES, UNIFORM_NEGATIVES } from './candidates.ts';
import { features } from './features.ts';
import { createRng } from './prng.ts';

const keys = (n: number) =>
  Array.from({ length: n }, (_, i) => features(`answer number ${i} about topic ${i % 17}`));

describe('CandidateSampler', () => {
  it('scores a small memory in full', () => {
    const sampler = new CandidateSampler(keys(EXACT_MAX_ENTRIES));
    expect(sampler.exact).toBe(true);
    expect(sampler.draw([], [3], createRng(1))).toHaveLength(EXACT_MAX_ENTRIES);
  });

  it('scores a large memory against a bounded sample that holds every target and lexical neighbours', () => {
    const all = keys(20_000);
    const sampler = new CandidateSampler(all);
    const queries = [features('topic 5 answer'), features('number 12')];
    const drawn = sampler.draw(queries, [7, 19_999, 7], createRng(1));
    expect(sampler.exact).toBe(false);
    expect(drawn.slice(0, 2)).toEqual([7, 19_999]);
    expect(new Set(drawn).size).toBe(drawn.length);
    expect(drawn.length).toBeLessThanOrEqual(2 + queries.length * LEXICAL_NEGATIVES + UNIFORM_NEGATIVES);
    // Lexical negatives share a feature with a prompt (here: mention "topic 5" or "number 12" words).
    expect(sampler.draw(queries, [0], createRng(1))).toEqual(sampler.draw(queries, [0], createRng(1)));
  });
});
