/**
 * An error of an AWS "query" protocol service (IAM, STS, SNS): rendered as
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>` with its HTTP status,
 * which botocore and SDK v3 turn into the exception named by `Code`.
 */
export class QueryError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

/** A required parameter is missing (AWS: `ValidationError` for IAM/STS; SNS uses InvalidParameter). */
export const missingParameter = (name: string, code = 'ValidationError') =>
  new QueryError(
    code,
    400,
    `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
  );

/** A parameter outside its pattern or length (the message form AWS's coral validation uses). */
export const constraintViolation = (
  name: string,
  value: string,
  constraint: string,
  code = 'ValidationError',
) =>
  new QueryError(
    code,
    400,
    `1 validation error detected: Value '${value}' at '${lowerFirst(name)}' failed to satisfy constraint: ${constraint}`,
  );

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
