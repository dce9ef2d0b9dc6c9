import { contentWords, themeWordMatches, tokens } from '../text.ts';
import type { Metric } from './metric.ts';

/** Share of the expected theme's content words the answer mentions (stem-aware). */
export function themeCoverage(answer: string, theme: string): { score: number; missing: string[] } {
  const wanted = contentWords(theme);
  if (wanted.length === 0) return { score: 1, missing: [] };
  const said = tokens(answer);
  const missing = wanted.filter((w) => !said.some((t) => themeWordMatches(w, t)));
  return { score: (wanted.length - missing.length) / wanted.length, missing };
}

export const themeCoverageMetric = {
  dimension: 'relevance',
  description: "Coverage of the case's expected theme (its content words, stem-aware)",
  evaluate: ({ evalCase, answer }) => {
    if (!evalCase.expectedTheme) return undefined;
    const { score, missing } = themeCoverage(answer, evalCase.expectedTheme);
    return { score, detail: missing.length ? `missing: ${missing.join(', ')}` : undefined };
  },
} satisfies Metric;
