/**
 * The shape every `tunekit doctor` check returns: one line a user can act on. A failed check always names
 * the fix, because "AccessDenied" alone does not tell a user which policy to attach.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skipped';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

/** True when the Bedrock endpoint is a loopback address: the local stack. */
export function isLocalEndpoint(env: NodeJS.ProcessEnv = process.env): boolean {
  const url = env.AWS_ENDPOINT_URL_BEDROCK ?? env.AWS_ENDPOINT_URL;
  return Boolean(url && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(url));
}

/**
 * Whether a service has its own endpoint override. `tunekit local env` sets one for STS, IAM, SNS and
 * EventBridge, which the local stack serves; a client pointed at the local Bedrock without them skips those parts.
 */
export const hasEndpoint = (service: string, env: NodeJS.ProcessEnv = process.env) =>
  Boolean(env[`AWS_ENDPOINT_URL_${service}`]);

export const errorName = (error: unknown) => (error as Error)?.name ?? 'Error';
export const errorText = (error: unknown) => {
  const message = (error as Error)?.message ?? String(error);
  const status = httpStatus(error);
  // The SDK could not parse the error body (a proxy's HTML page; moto answering a JSON service in XML):
  // the HTTP status is the one reliable fact, and "SyntaxError: Unexpected token" would hide it.
  if (status && message.includes('Deserialization error'))
    return `HTTP ${status}${status === 403 ? ' AccessDenied' : ''} (error body unreadable: ${message.split('\n')[0]})`;
  return `${errorName(error)}: ${message}`;
};

/**
 * S3 says the bucket does not exist: NoSuchBucket, or HeadBucket's bare 404 (HEAD responses carry no error
 * body, so the SDK names it NotFound).
 */
export const isMissingBucket = (error: unknown) =>
  errorName(error) === 'NoSuchBucket' || errorName(error) === 'NotFound' || httpStatus(error) === 404;

/** HTTP status of an AWS SDK error (HEAD responses carry no error body, only the status). */
export const httpStatus = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;

/**
 * AWS refused for lack of permission. The name differs by protocol: IAM/STS/S3 say AccessDenied, JSON
 * services AccessDeniedException, SNS AuthorizationError, EC2-style UnauthorizedOperation.
 */
export const isAccessDenied = (error: unknown) =>
  /^(AccessDenied(Exception)?|AuthorizationError|UnauthorizedOperation)$/.test(errorName(error)) ||
  httpStatus(error) === 403;

/** A connection that never reached AWS (DNS, refused, timeout): the fix is the network, not IAM. */
export const isNetworkError = (error: unknown) =>
  /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ECONNRESET/.test(
    `${(error as { code?: string })?.code ?? ''} ${(error as Error)?.message ?? ''}`,
  );

export const NETWORK_FIX =
  'cannot reach the endpoint: check the network/proxy, or start the local stack (`tunekit local start`) and `eval "$(tunekit local env)"`';
