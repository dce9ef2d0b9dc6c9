import { describe, expect, it } from 'vitest';
import { readCredentialScope } from './sigv4-scope.ts';

describe('readCredentialScope', () => {
  it('reads the service and region from an Authorization header', () => {
    const scope = readCredentialScope({
      url: '/model-customization-jobs',
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261124/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
      },
    });
    expect(scope).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      date: '20261124',
      region: 'us-east-1',
      service: 'bedrock',
    });
  });

  it('reads a presigned URL query', () => {
    const scope = readCredentialScope({
      url: '/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261124%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Signature=x',
      headers: {},
    });
    expect(scope?.service).toBe('s3');
    expect(scope?.region).toBe('eu-west-1');
  });

  it('returns undefined for unsigned requests', () => {
    expect(readCredentialScope({ url: '/_tunekit/health', headers: {} })).toBeUndefined();
  });
});
