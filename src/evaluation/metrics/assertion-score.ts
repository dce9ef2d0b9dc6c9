import type { Assertion } from '../suite.schema.ts';
import type { MetricOutcome } from './metric.ts';

/**
 * Format metrics each own some assertion types. A case's score for a metric is the share of its
 * assertions of those types that hold; failures are listed in the detail so the report says why.
 */
export function scoreAssertions<T extends Assertion['type']>(
  assertions: readonly Assertion[],
  types: readonly T[],
  check: (assertion: Extract<Assertion, { type: T }>) => string | undefined,
): MetricOutcome | undefined {
  const mine = assertions.filter((a): a is Extract<Assertion, { type: T }> =>
    (types as readonly string[]).includes(a.type),
  );
  if (mine.length === 0) return undefined;
  const failures = mine.map(check).filter((f): f is string => f !== undefined);
  return {
    score: (mine.length - failures.length) / mine.length,
    detail: failures.length ? failures.join('; ') : undefined,
  };
}

/**
 * Models often wrap JSON in a Markdown fence; the JSON checks accept the whole answer or the content of
 * a single ```json fence. Returns undefined when neither parses.
 */
export function parseJsonAnswer(answer: string): { value: unknown } | undefined {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(answer);
  for (const text of [answer, fenced?.[1]]) {
    if (text === undefined) continue;
    try {
      return { value: JSON.parse(text) };
    } catch {
      // try the next form
    }
  }
  return undefined;
}
