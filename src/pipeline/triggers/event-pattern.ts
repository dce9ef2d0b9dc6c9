/**
 * EventBridge event-pattern matching for the subset tunekit's rules use: exact values (a list of
 * alternatives), `{prefix}`, `{suffix}`, and nested objects. The same pattern object is what CDK puts on
 * the AWS rule, so local and AWS triggers agree on what starts a run (bedrock-facts.md §7.2).
 */

export type PatternValue = string | number | boolean | null | { prefix: string } | { suffix: string };
export interface EventPattern {
  [field: string]: PatternValue[] | EventPattern;
}

function matchValue(rule: PatternValue, value: unknown): boolean {
  if (rule !== null && typeof rule === 'object') {
    if (typeof value !== 'string') return false;
    if ('prefix' in rule) return value.startsWith(rule.prefix);
    if ('suffix' in rule) return value.endsWith(rule.suffix);
    return false;
  }
  return rule === value;
}

/** True when `event` matches every field of `pattern` (a field's list matches if any entry does). */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  if (event === null || typeof event !== 'object') return false;
  for (const [field, rule] of Object.entries(pattern)) {
    const value = (event as Record<string, unknown>)[field];
    if (Array.isArray(rule)) {
      // EventBridge matches an array value if any of its elements matches.
      const values = Array.isArray(value) ? value : [value];
      if (value === undefined || !rule.some((r) => values.some((v) => matchValue(r, v)))) return false;
    } else if (!matchesPattern(rule, value)) {
      return false;
    }
  }
  return true;
}

/**
 * The rule for "a training file landed": S3 Object Created in the bucket, key under `prefix`, ending in
 * `suffix`. EventBridge ANDs fields, and one field cannot hold two conditions in the subset we use, so
 * the suffix is checked by a second pattern (CDK: two rules, or `wildcard`) — see `trainingDataPatterns`.
 */
export function trainingDataPatterns(bucket: string, prefix: string, suffix: string): EventPattern[] {
  const base = {
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: { bucket: { name: [bucket] } },
  };
  return [
    { ...base, detail: { ...base.detail, object: { key: [{ prefix }] } } },
    { ...base, detail: { ...base.detail, object: { key: [{ suffix }] } } },
  ];
}

export const matchesAll = (patterns: EventPattern[], event: unknown) =>
  patterns.every((p) => matchesPattern(p, event));
