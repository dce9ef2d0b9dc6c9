import { constraintError, validation } from '../errors.ts';

/**
 * Request metadata: key-value tags a caller attaches to one inference call, recorded in the invocation log
 * (and what a distillation job's requestMetadataFilters select on). Converse takes it in the body
 * (`requestMetadata`), InvokeModel in the `X-Amzn-Bedrock-Request-Metadata` header as a JSON object
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/cost-mgmt-request-metadata.html). Constraints from
 * botocore's bedrock-runtime RequestMetadata: 1-16 entries, keys 1-256 and values 0-256 characters of
 * `[a-zA-Z0-9\s:_@$#=/+,-.]`; that the header is held to the same rules is UNCONFIRMED.
 */

const KEY = /^[a-zA-Z0-9\s:_@$#=/+,\-.]{1,256}$/;
const VALUE = /^[a-zA-Z0-9\s:_@$#=/+,\-.]{0,256}$/;
const KEY_PATTERN = '[a-zA-Z0-9\\s:_@$#=/+,-.]{1,256}';
const VALUE_PATTERN = '[a-zA-Z0-9\\s:_@$#=/+,-.]{0,256}';

const REQUEST_METADATA_HEADER = 'x-amzn-bedrock-request-metadata';

function checked(value: unknown, field: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw validation(`${field} must be a map of string keys to string values`);
  const entries = Object.entries(value);
  if (entries.length < 1 || entries.length > 16)
    throw constraintError(
      field,
      value,
      `Member must have length ${entries.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 16'}`,
    );
  for (const [key, v] of entries) {
    if (!KEY.test(key))
      throw constraintError(
        `${field}.key`,
        key,
        `Member must satisfy regular expression pattern: ${KEY_PATTERN}`,
      );
    if (typeof v !== 'string') throw validation(`${field}.${key} must be a string`);
    if (!VALUE.test(v))
      throw constraintError(
        `${field}.${key}`,
        v,
        `Member must satisfy regular expression pattern: ${VALUE_PATTERN}`,
      );
  }
  return value as Record<string, string>;
}

/** Converse's `requestMetadata` member; undefined when absent. */
export function converseRequestMetadata(body: Record<string, unknown>): Record<string, string> | undefined {
  if (body.requestMetadata === undefined || body.requestMetadata === null) return undefined;
  return checked(body.requestMetadata, 'requestMetadata');
}

/** InvokeModel's `X-Amzn-Bedrock-Request-Metadata` header; undefined when absent. */
export function headerRequestMetadata(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> | undefined {
  const raw = headers[REQUEST_METADATA_HEADER];
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Array.isArray(raw) ? raw.join(',') : raw);
  } catch {
    throw validation(
      `The X-Amzn-Bedrock-Request-Metadata header is not JSON: pass a JSON object of string keys and values, e.g. {"use": "distill"}.`,
    );
  }
  return checked(value, 'X-Amzn-Bedrock-Request-Metadata');
}
