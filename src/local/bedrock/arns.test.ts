import { describe, expect, it } from 'vitest';
import { arnResourceId, customModelArn, jobArn, newResourceId } from './arns.ts';

const account = { region: 'us-east-1', accountId: '000000000000' };

describe('arns', () => {
  it('builds ARNs matching botocore patterns and reads their ids back', () => {
    const id = newResourceId();
    expect(id).toMatch(/^[a-z0-9]{12}$/);
    const job = jobArn(account, 'amazon.nova-micro-v1:0:128k', id);
    expect(job).toMatch(
      /^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-customization-job\/[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2}\/[a-z0-9]{12}$/,
    );
    expect(arnResourceId(job, 'model-customization-job')).toBe(id);
    expect(arnResourceId(customModelArn(account, 'amazon.nova-micro-v1:0:128k', id), 'custom-model')).toBe(
      id,
    );
    expect(arnResourceId(job, 'custom-model')).toBeUndefined();
    expect(arnResourceId('my-model', 'custom-model')).toBeUndefined();
  });
});
