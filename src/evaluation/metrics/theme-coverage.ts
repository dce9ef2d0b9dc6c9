import { contentWords, themeWordMatches, tokens } from '../text.ts';
import type { Metric } from './metric.ts';

/** Share of the theme's content words the answer mentions (stem-aware). */
export function themeCoverage(
  answer: string,
  themeWords: readonly string[],
): { score: number; missing: string[] } {
  if (themeWords.length === 0) return { score: 1, missing: [] };
  const said = tokens(answer);
  const missing = themeWords.filter((w) => !said.some((t) => themeWordMatches(w, t)));
  return { score: (themeWords.length - missing.length) / themeWords.length, missing };
}

/**
 * The theme words that carry content: those the reference answer itself uses. Themes are often partly
 * descriptive ("Steps for disputing transactions", "Geography fact"); "steps" or "fact" are about the
 * answer, not in it, and no good answer would be expected to say them.
 */
export function contentThemeWords(theme: string, reference: string): string[] {
  const ref = tokens(reference);
  return contentWords(theme).filter((w) => ref.some((t) => themeWordMatches(w, t)));
}

export const themeCoverageMetric = {
  dimension: 'relevance',
  description: "Coverage of the expected theme's words that the reference uses (stem-aware)",
  evaluate: ({ evalCase, answer }) => {
    if (!evalCase.expectedTheme) return undefined;
    const words = contentThemeWords(evalCase.expectedTheme, evalCase.reference);
    if (words.length === 0) return undefined;
    const { score, missing } = themeCoverage(answer, words);
    return { score, detail: missing.length ? `missing: ${missing.join(', ')}` : undefined };
  },
} satisfies Metric;
