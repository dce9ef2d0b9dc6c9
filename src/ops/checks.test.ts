import { describe, expect, it } from 'vitest';
import { errorText, isAccessDenied } from './checks.ts';

const awsError = (name: string, status?: number) =>
  Object.assign(new Error('x'), { name, $metadata: { httpStatusCode: status } });

describe('isAccessDenied', () => {
  it("recognises each protocol's name for a refused permission, and a bodiless 403", () => {
    expect(isAccessDenied(awsError('AccessDenied', 403))).toBe(true); // IAM, STS, S3
    expect(isAccessDenied(awsError('AccessDeniedException', 400))).toBe(true); // JSON services (Bedrock)
    expect(isAccessDenied(awsError('AuthorizationError', 403))).toBe(true); // SNS
    expect(isAccessDenied(awsError('Forbidden', 403))).toBe(true); // HEAD: status only
  });

  it('does not mistake missing resources, throttling or network errors for a permission problem', () => {
    expect(isAccessDenied(awsError('NoSuchEntityException', 404))).toBe(false);
    expect(isAccessDenied(awsError('ThrottlingException', 400))).toBe(false);
    expect(isAccessDenied(awsError('AccessDeniedButNot', 400))).toBe(false);
    expect(isAccessDenied(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      false,
    );
  });
});

describe('errorText', () => {
  it("keeps AWS's name and text", () => {
    const e = Object.assign(awsError('AccessDenied', 403), { message: 'User: u is not authorized' });
    expect(errorText(e)).toBe('AccessDenied: User: u is not authorized');
  });

  it('says HTTP 403 AccessDenied when the SDK could not parse the error body', () => {
    const e = Object.assign(awsError('SyntaxError', 403), {
      message: `Unexpected token '<', "<?xml vers"... is not valid JSON\n  Deserialization error: to see the raw response, inspect {error}.$response`,
    });
    expect(errorText(e)).toMatch(/^HTTP 403 AccessDenied \(error body unreadable: Unexpected token/);
  });
});
