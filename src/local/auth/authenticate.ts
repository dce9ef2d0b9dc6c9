import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRequest, sendError as sendS3Error } from '../s3/http-io.ts';
import { S3Error } from '../s3/s3-error.ts';
import type { CredentialScope } from '../sigv4-scope.ts';
import { recordChunkSigning } from './chunk-signing.ts';
import { type AuthFailure, MAX_SKEW_MS, verifyRequest } from './sigv4-verify.ts';
import type { StackCredentials } from './stack-credentials.ts';

/**
 * The server's authentication step, run before every signed request reaches its service: the request
 * must be signed with the stack's key pair, or it is refused with the error the real service gives for
 * the same mistake, in that service's protocol (S3 XML, query-protocol XML, or JSON).
 *
 * Codes and statuses (sources):
 * - S3: InvalidAccessKeyId 403, SignatureDoesNotMatch 403, RequestTimeTooSkewed 403 with
 *   MaxAllowedSkewMilliseconds 900000, an expired presigned URL AccessDenied 403 "Request has expired"
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 * - JSON services (Bedrock, Step Functions, EventBridge): UnrecognizedClientException 403 "The security
 *   token included in the request is invalid.", InvalidSignatureException 403, and a skewed clock
 *   InvalidSignatureException 400 "Signature expired: <t> is now earlier than <t> (<t> - 15 min.)"
 *   (https://docs.aws.amazon.com/awsconsolehelpdocs/latest/gsg/common-errors.html;
 *   https://github.com/aws/aws-sdk-js/issues/254 shows the skew message and 400).
 * - Query services (STS, IAM, SNS): InvalidClientTokenId 403, SignatureDoesNotMatch 403, skew
 *   SignatureDoesNotMatch "Signature expired: ..." (https://github.com/aws/aws-cli/issues/6676).
 */
export type Authenticator = (
  req: IncomingMessage,
  res: ServerResponse,
  scope: CredentialScope,
) => Promise<IncomingMessage | undefined>;

const QUERY_SERVICES = new Set(['sts', 'iam', 'sns', 'sqs']);
const QUERY_XMLNS: Record<string, string> = {
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
};

const MISMATCH_S3 =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const longDate = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

function signatureExpired(requestTime: Date, serverTime: Date): string {
  const earliest = new Date(serverTime.getTime() - MAX_SKEW_MS);
  return requestTime < earliest
    ? `Signature expired: ${longDate(requestTime)} is now earlier than ${longDate(earliest)} (${longDate(serverTime)} - 15 min.)`
    : `Signature not yet current: ${longDate(requestTime)} is still later than ${longDate(new Date(serverTime.getTime() + MAX_SKEW_MS))} (${longDate(serverTime)} + 15 min.)`;
}

function s3Error(failure: AuthFailure): S3Error {
  switch (failure.kind) {
    case 'unknown-key':
      return new S3Error(
        'InvalidAccessKeyId',
        403,
        'The AWS Access Key Id you provided does not exist in our records.',
        { AWSAccessKeyId: failure.accessKeyId },
      );
    case 'bad-signature':
      return new S3Error('SignatureDoesNotMatch', 403, MISMATCH_S3);
    case 'skewed':
      return new S3Error(
        'RequestTimeTooSkewed',
        403,
        'The difference between the request time and the current time is too large.',
        {
          RequestTime: failure.requestTime.toUTCString(),
          ServerTime: failure.serverTime.toISOString(),
          MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
        },
      );
    case 'expired':
      return new S3Error('AccessDenied', 403, 'Request has expired', {
        Expires: failure.expires.toISOString(),
        ServerTime: failure.serverTime.toISOString(),
      });
    case 'malformed':
      return new S3Error('AuthorizationQueryParametersError', 400, failure.message);
    case 'too-large':
      return new S3Error('MaxMessageLengthExceeded', 400, 'Your request was too big.');
  }
}

/** [status, code, message] for the JSON and query protocols. */
function apiError(failure: AuthFailure, query: boolean): [number, string, string] {
  switch (failure.kind) {
    case 'unknown-key':
      return [403, query ? 'InvalidClientTokenId' : 'UnrecognizedClientException', INVALID_TOKEN];
    case 'bad-signature':
      return [403, query ? 'SignatureDoesNotMatch' : 'InvalidSignatureException', MISMATCH];
    case 'skewed':
      return [
        query ? 403 : 400,
        query ? 'SignatureDoesNotMatch' : 'InvalidSignatureException',
        signatureExpired(failure.requestTime, failure.serverTime),
      ];
    case 'expired':
      return [403, query ? 'SignatureDoesNotMatch' : 'InvalidSignatureException', 'Signature expired'];
    case 'malformed':
      return [400, 'IncompleteSignature', failure.message];
    case 'too-large':
      return [413, 'RequestEntityTooLargeException', 'Request body is too large'];
  }
}

function sendRefusal(req: IncomingMessage, res: ServerResponse, service: string, failure: AuthFailure) {
  // The body may not have been read; drain it so the connection can be reused.
  req.resume();
  if (service === 's3') {
    let s3req: ReturnType<typeof parseRequest>;
    try {
      s3req = parseRequest(req);
    } catch {
      s3req = { method: req.method ?? 'GET', resource: '/', requestId: randomUUID() } as ReturnType<
        typeof parseRequest
      >;
    }
    return sendS3Error(res, s3req, s3Error(failure));
  }
  const query = QUERY_SERVICES.has(service);
  const [status, code, message] = apiError(failure, query);
  const requestId = randomUUID();
  const body = query
    ? `<ErrorResponse xmlns="${QUERY_XMLNS[service] ?? ''}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
    : JSON.stringify({ __type: code, message });
  res.writeHead(status, {
    'content-type': query ? 'text/xml' : 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
    ...(query ? {} : { 'x-amzn-errortype': code }),
  });
  res.end(body);
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Accepts only requests signed with `credentials`; refused ones are answered here (returns undefined). */
export function stackAuthenticator(credentials: StackCredentials): Authenticator {
  return async (req, res, scope) => {
    const result = await verifyRequest(req, credentials);
    if (!result.ok) {
      sendRefusal(req, res, scope.service, result.failure);
      return undefined;
    }
    if (result.chunkSigning) recordChunkSigning(result.req, result.chunkSigning);
    return result.req;
  };
}
