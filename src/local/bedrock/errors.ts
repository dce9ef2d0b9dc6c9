/**
 * Bedrock's modelled exceptions with the HTTP status botocore's service model gives each
 * (bedrock 2023-04-20 and bedrock-runtime 2023-09-30). Thrown inside a route handler, rendered by http.ts
 * as `x-amzn-errortype: <type>` + `{"message": ...}`, which is what the SDKs turn into `error.name`.
 */
const STATUS = {
  ValidationException: 400,
  ConflictException: 400,
  ServiceQuotaExceededException: 400,
  TooManyTagsException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
} as const;

export type BedrockErrorType = keyof typeof STATUS;

export class BedrockError extends Error {
  override readonly name = 'BedrockError';
  readonly status: number;
  constructor(
    readonly type: BedrockErrorType,
    message: string,
  ) {
    super(message);
    this.status = STATUS[type];
  }
}

export const validation = (message: string) => new BedrockError('ValidationException', message);
export const notFound = (message: string) => new BedrockError('ResourceNotFoundException', message);
export const conflict = (message: string) => new BedrockError('ConflictException', message);

/** The AWS wording for a constraint violation, as Bedrock returns it. */
export function constraintError(field: string, value: unknown, constraint: string): BedrockError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return validation(
    `1 validation error detected: Value '${shown}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}
