import { constraintViolation, missingParameter } from './query-error.ts';

/**
 * The parameters of a query-protocol request (form-encoded body, or the URL's query string for GET):
 * `Action=CreateRole&RoleName=x&Tags.member.1.Key=k`. Lists arrive flattened as `Name.member.N[.Field]`.
 */
export class QueryParams {
  constructor(
    private readonly params: URLSearchParams,
    private readonly errorCode = 'ValidationError',
  ) {}

  get action(): string | undefined {
    return this.params.get('Action') ?? undefined;
  }

  optional(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  required(name: string): string {
    const value = this.params.get(name);
    if (value === null) throw missingParameter(name, this.errorCode);
    return value;
  }

  /** A required string that must match `pattern` and have a length within [min, max]. */
  checked(name: string, pattern: RegExp, min: number, max: number): string {
    const value = this.required(name);
    this.check(name, value, pattern, min, max);
    return value;
  }

  check(name: string, value: string, pattern: RegExp, min: number, max: number): void {
    if (value.length < min)
      throw constraintViolation(
        name,
        value,
        `Member must have length greater than or equal to ${min}`,
        this.errorCode,
      );
    if (value.length > max)
      throw constraintViolation(
        name,
        value,
        `Member must have length less than or equal to ${max}`,
        this.errorCode,
      );
    if (!pattern.test(value))
      throw constraintViolation(
        name,
        value,
        `Member must satisfy regular expression pattern: ${pattern.source.replace(/^\^|\$$/g, '')}`,
        this.errorCode,
      );
  }

  /** `Name.member.1`, `Name.member.2`, ... as plain values, or as records of their fields with `fields`. */
  list(name: string): string[];
  list(name: string, fields: string[]): Record<string, string>[];
  list(name: string, fields?: string[]): string[] | Record<string, string>[] {
    const out: (string | Record<string, string>)[] = [];
    for (let n = 1; ; n++) {
      const prefix = `${name}.member.${n}`;
      if (!fields) {
        const value = this.params.get(prefix);
        if (value === null) break;
        out.push(value);
        continue;
      }
      const entry: Record<string, string> = {};
      for (const field of fields) {
        const value = this.params.get(`${prefix}.${field}`);
        if (value !== null) entry[field] = value;
      }
      if (Object.keys(entry).length === 0) break;
      out.push(entry);
    }
    return out as string[] | Record<string, string>[];
  }

  /** `Name.entry.N.key` / `Name.entry.N.value` (SNS attribute maps). */
  map(name: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (let n = 1; ; n++) {
      const key = this.params.get(`${name}.entry.${n}.key`);
      if (key === null) break;
      out[key] = this.params.get(`${name}.entry.${n}.value`) ?? '';
    }
    return out;
  }
}
