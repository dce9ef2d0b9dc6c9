/**
 * Text normalisation shared by the lexical metrics. SQuAD-style: lowercase, drop punctuation and
 * English articles, split on whitespace — so "The fee is $5." and "fee is 5" compare as equal tokens.
 */
const ARTICLES = new Set(['a', 'an', 'the']);

export function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((t) => t && !ARTICLES.has(t))
    .join(' ');
}

export function tokens(text: string): string[] {
  const n = normalize(text);
  return n ? n.split(' ') : [];
}

/**
 * F1 of the tokens an answer shares with a reference. `shared` counts them: as a multiset for token F1,
 * as the longest common subsequence for ROUGE-L. Two empty texts agree; one empty text scores 0.
 */
export function overlapF1(
  answer: string,
  reference: string,
  shared: (answer: readonly string[], reference: readonly string[]) => number,
): number {
  const a = tokens(answer);
  const r = tokens(reference);
  if (a.length === 0 || r.length === 0) return a.length === r.length ? 1 : 0;
  const overlap = shared(a, r);
  if (overlap === 0) return 0;
  const precision = overlap / a.length;
  const recall = overlap / r.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Words that carry no topic: skipped when checking whether an answer covers a theme. */
const STOPWORDS = new Set(
  'and or of to in on for with by from at as is are be was were it its this that these those about into how what when where which who why your you our we can will not information'.split(
    ' ',
  ),
);

/** Crude suffix stripping: enough for "disputing" to meet "dispute" (compared by prefix, see themeWordMatches). */
export function stem(word: string): string {
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'ies', 'ied', 'es', 'ed', 's', 'ly']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) return word.slice(0, -suffix.length);
  }
  return word;
}

export function contentWords(text: string): string[] {
  return [...new Set(tokens(text).filter((t) => t.length >= 3 && !STOPWORDS.has(t)))];
}

/** True when two words share a stem: one stem is a prefix of the other and the shorter has >= 4 letters. */
export function themeWordMatches(a: string, b: string): boolean {
  const [x, y] = [stem(a), stem(b)];
  if (x === y) return true;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return short.length >= 4 && long.startsWith(short);
}
