/**
 * The engine's tokenizer: words (letters/digits, with inner apostrophes) and single punctuation marks.
 * It is what `countTokens` reports, where `maxTokens` truncates, and what features are built from.
 */

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[^\s\p{L}\p{N}]/gu;

export interface Token {
  text: string;
  start: number;
  end: number;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    tokens.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}

export function countTokens(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(TOKEN)) n++;
  return n;
}

const WORD = /^[\p{L}\p{N}]/u;

/** Lower-cased, lightly stemmed word tokens (punctuation dropped): the unit features are made of. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text.toLowerCase())) {
    if (WORD.test(token.text)) out.push(stem(token.text.replace(/['’]s$/u, '').replace(/’/gu, "'")));
  }
  return out;
}

/**
 * A deliberately small suffix stripper: enough that "deposit", "deposits" and "deposited" share a
 * feature, without a dictionary. Character n-grams cover what it misses.
 */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 5) return word.slice(0, -2);
  if (word.endsWith('es') && /(?:ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}
