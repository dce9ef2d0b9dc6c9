import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../aws/clients.ts';
import { ConfigSchema } from '../config/schema.ts';
import { runCleanup } from './cleanup.ts';

/** Bedrock as an identity without any bedrock:* permission sees it; the other services are never asked. */
const refusingBedrock = {
  send: async (command: { constructor: { name: string } }) => {
    const action = command.constructor.name.replace(/Command$/, '');
    throw Object.assign(new Error(`User u is not authorized to perform: bedrock:${action}`), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
  },
};
const clients = { bedrock: refusingBedrock } as unknown as AwsClients;
const config = ConfigSchema.parse({ project: 'bank', bucket: 'bank-data' });
// The local stack's endpoint: the EventBridge, SNS and IAM steps are skipped; S3 is asked only with --all.
const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' };

describe('runCleanup', () => {
  it('reports refused Bedrock listings as failed steps, runs the rest, and does not claim a verification', async () => {
    const report = await runCleanup(config, clients, { env });
    expect(report.entries.map((e) => `${e.step}:${e.action}`)).toEqual([
      'deployments:failed',
      'custom-model:failed',
      'eventbridge-rule:skipped',
      'sns-topic:skipped',
      'iam-role:skipped',
      's3-bucket:kept',
      'verify:failed',
    ]);
    expect(report.entries[0]?.message).toBe(
      'AccessDeniedException: User u is not authorized to perform: bedrock:ListProvisionedModelThroughputs',
    );
    expect(report.verified).toBe(false);
  });
});
