import { describe, expect, it } from 'vitest';
import { countTokens, stem, tokenize, words } from './tokenizer.ts';

describe('tokenizer', () => {
  it('splits words and punctuation and keeps their positions', () => {
    const text = "Don't wire $1,000 today!";
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.text)).toEqual(["Don't", 'wire', '$', '1', ',', '000', 'today', '!']);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
    expect(countTokens(text)).toBe(8);
    expect(countTokens('')).toBe(0);
  });

  it('lower-cases and stems words so inflections share features', () => {
    expect(words('Deposits DEPOSITED depositing')).toEqual(['deposit', 'deposit', 'deposit']);
    expect(stem('fees')).toBe('fees'); // short words are left alone
    expect(stem('policies')).toBe('policy');
    expect(words("the bank's app")).toEqual(['the', 'bank', 'app']);
  });
});
