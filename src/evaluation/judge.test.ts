import { describe, expect, it } from 'vitest';
import { parseJudgement } from './judge.ts';

describe('parseJudgement', () => {
  it.each([
    ['{"rating": 4, "reason": "good"}', { rating: 4, reason: 'good' }],
    ['Sure. {"rating":5,"reason":"exact"} Hope this helps', { rating: 5, reason: 'exact' }],
    ['{"rating": "3"}', { rating: 3, reason: '' }],
  ])('reads %s', (reply, expected) => expect(parseJudgement(reply)).toEqual(expected));

  it.each(['{"rating": 7}', '{"rating": 3.5}', 'I would say 4 out of 5', '{"rating": }', ''])(
    'never guesses a score from %j',
    (reply) => expect(parseJudgement(reply)).toBeUndefined(),
  );
});
