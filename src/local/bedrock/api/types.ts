import type { BedrockContext } from '../context.ts';

export interface ApiRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  raw: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type ApiHandler = (ctx: BedrockContext, req: ApiRequest) => ApiResponse | Promise<ApiResponse>;

/** One operation: method, path template (`{label}` segments) and its botocore operation name. */
export interface Route {
  api: string;
  method: string;
  path: string;
  handler: ApiHandler;
}

/** Drops undefined members so responses look like Bedrock's (absent, not null). */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
