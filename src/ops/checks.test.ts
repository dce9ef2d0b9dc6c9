import { describe, expect, it } from 'vitest';
import { isAccessDenied } from './checks.ts';

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
