import { constraintError, validation } from './errors.ts';
import type { Tag } from './records.ts';

/** Field constraints from botocore's bedrock service model, checked the way Bedrock reports them. */

export interface StringShape {
  min?: number;
  max?: number;
  pattern?: string;
}

export const SHAPES = {
  jobName: { min: 1, max: 63, pattern: '[a-zA-Z0-9](-*[a-zA-Z0-9\\+\\-\\.])*' },
  customModelName: { min: 1, max: 63, pattern: '([0-9a-zA-Z][_-]?){1,63}' },
  roleArn: { min: 0, max: 2048, pattern: 'arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+' },
  clientRequestToken: { min: 1, max: 256, pattern: '[a-zA-Z0-9]([-a-zA-Z0-9]{0,254}[a-zA-Z0-9])?' },
  modelIdentifier: { min: 1, max: 2048 },
  s3Uri: {
    min: 1,
    max: 1024,
    pattern: "s3://[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](?:/[-!_*'().a-z0-9A-Z]+(?:/[-!_*'().a-z0-9A-Z]+)*)?/?",
  },
  provisionedModelName: { min: 1, max: 63, pattern: '([0-9a-zA-Z][_-]?)+' },
  modelDeploymentName: { min: 1, max: 63, pattern: '([0-9a-zA-Z][_-]?){1,63}' },
  description: { min: 1, max: 2048 },
  tagKey: { min: 1, max: 128, pattern: '[a-zA-Z0-9\\s._:/=+@-]*' },
  tagValue: { min: 0, max: 256, pattern: '[a-zA-Z0-9\\s._:/=+@-]*' },
  nextToken: { min: 1, max: 2048 },
} satisfies Record<string, StringShape>;

function check(field: string, value: string, shape: StringShape): void {
  if (shape.min !== undefined && value.length < shape.min)
    throw constraintError(field, value, `Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && value.length > shape.max)
    throw constraintError(field, value, `Member must have length less than or equal to ${shape.max}`);
  if (shape.pattern && !new RegExp(`^(?:${shape.pattern})$`).test(value))
    throw constraintError(field, value, `Member must satisfy regular expression pattern: ${shape.pattern}`);
}

export function requiredString(
  body: Record<string, unknown>,
  field: string,
  shape: StringShape = {},
): string {
  const value = body[field];
  if (value === undefined || value === null) throw constraintError(field, 'null', 'Member must not be null');
  if (typeof value !== 'string') throw validation(`${field} must be a string`);
  check(field, value, shape);
  return value;
}

export function optionalString(
  body: Record<string, unknown>,
  field: string,
  shape: StringShape = {},
): string | undefined {
  if (body[field] === undefined || body[field] === null) return undefined;
  return requiredString(body, field, shape);
}

export function requiredObject(body: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = body[field];
  if (value === undefined || value === null) throw constraintError(field, 'null', 'Member must not be null');
  if (typeof value !== 'object' || Array.isArray(value)) throw validation(`${field} must be an object`);
  return value as Record<string, unknown>;
}

export function s3UriField(container: Record<string, unknown>, path: string): string {
  const value = container.s3Uri;
  if (typeof value !== 'string') throw constraintError(`${path}.s3Uri`, 'null', 'Member must not be null');
  check(`${path}.s3Uri`, value, SHAPES.s3Uri);
  return value;
}

export function tagList(body: Record<string, unknown>, field: string): Tag[] {
  const value = body[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw validation(`${field} must be a list`);
  if (value.length > 200)
    throw constraintError(field, `${value.length} tags`, 'Member must have length less than or equal to 200');
  return value.map((tag, i) => {
    const t = (tag ?? {}) as Record<string, unknown>;
    // AWS names a list member by its 1-based position: 'jobTags.1.member.key'.
    const at = `${field}.${i + 1}.member`;
    const member = (name: 'key' | 'value') => {
      const value = t[name];
      if (value === undefined || value === null)
        throw constraintError(`${at}.${name}`, 'null', 'Member must not be null');
      if (typeof value !== 'string') throw validation(`${at}.${name} must be a string`);
      check(`${at}.${name}`, value, name === 'key' ? SHAPES.tagKey : SHAPES.tagValue);
      return value;
    };
    return { key: member('key'), value: member('value') };
  });
}

export function maxResults(query: URLSearchParams): number {
  const raw = query.get('maxResults');
  if (raw === null) return 1000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw constraintError('maxResults', raw, 'Member must have value between 1 and 1000');
  return n;
}

export function timeQuery(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const t = Number.isNaN(Number(raw)) ? Date.parse(raw) : Number(raw) * 1000;
  if (Number.isNaN(t)) throw validation(`${name} must be an ISO-8601 timestamp`);
  return t;
}

export function enumQuery<T extends string>(
  query: URLSearchParams,
  name: string,
  values: readonly T[],
): T | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!values.includes(raw as T))
    throw constraintError(name, raw, `Member must satisfy enum value set: [${values.join(', ')}]`);
  return raw as T;
}

/** An optional or required structure member: undefined when absent, else the object. */
export function object(
  value: unknown,
  field: string,
  required: boolean,
): Record<string, unknown> | undefined {
  if (value === undefined || value === null) {
    if (required) throw constraintError(field, 'null', 'Member must not be null');
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw validation(`${field} must be an object`);
  return value as Record<string, unknown>;
}

/**
 * Members the shape does not have are refused, naming the valid ones. botocore's members are the
 * reference; that AWS refuses an unknown member (rather than ignoring it) is UNCONFIRMED, and a member
 * newer than this machine's botocore would be refused locally.
 */
export function noUnknown(value: Record<string, unknown>, field: string, known: string[]): void {
  for (const key of Object.keys(value))
    if (!known.includes(key))
      throw validation(`${field}.${key} is not a member of ${field}; valid members: ${known.join(', ')}.`);
}

/** A union member set must have exactly one member (Smithy union semantics). */
export function unionMember(value: Record<string, unknown>, field: string, members: string[]): string {
  noUnknown(value, field, members);
  const set = members.filter((m) => value[m] !== undefined && value[m] !== null);
  if (set.length !== 1)
    throw validation(
      `${field} must set exactly one of ${members.join(', ')} (${set.length ? `got ${set.join(' and ')}` : 'none was set'}).`,
    );
  return set[0]!;
}
