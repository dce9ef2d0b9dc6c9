import {
  GetCustomModelDeploymentCommand,
  GetProvisionedModelThroughputCommand,
} from '@aws-sdk/client-bedrock';
import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../../aws/clients.ts';
import { ConfigSchema } from '../../config/schema.ts';
import { checkDeployment } from './check-deployment.ts';
import type { TaskContext } from './context.ts';

/** Bedrock answering Get* with the status given per ARN (what CheckDeployment polls). */
function ctxWith(statuses: Record<string, string>): TaskContext {
  const send = async (command: unknown) => {
    if (command instanceof GetCustomModelDeploymentCommand) {
      const arn = command.input.customModelDeploymentIdentifier!;
      return { status: statuses[arn], failureMessage: `${arn} broke` };
    }
    if (command instanceof GetProvisionedModelThroughputCommand) {
      const arn = command.input.provisionedModelId!;
      return { status: statuses[arn], failureMessage: `${arn} broke` };
    }
    throw new Error('unexpected call');
  };
  return {
    config: ConfigSchema.parse({ deployment: { readyTimeoutMinutes: 1 } }),
    clients: { bedrock: { send } } as unknown as AwsClients,
    configDir: '.',
  };
}

const candidate = { mode: 'on-demand' as const, name: 'p-eval-x', arn: 'cand', customModelArn: 'm1' };
const production = { mode: 'provisioned' as const, name: 'p-evalprod-x', arn: 'prod', customModelArn: 'm0' };

describe('checkDeployment with production deployed next to the candidate', () => {
  it('is Ready only when both serve', async () => {
    const deployment = { ...candidate, production };
    const waiting = await checkDeployment(
      { deployment, attempts: 0 },
      ctxWith({ cand: 'Active', prod: 'Creating' }),
    );
    expect(waiting).toMatchObject({ status: 'Creating', timedOut: false });
    expect(waiting.message).toMatch(/production Provisioned Throughput prod is Creating/);
    const ready = await checkDeployment(
      { deployment, attempts: 1 },
      ctxWith({ cand: 'Active', prod: 'InService' }),
    );
    expect(ready.status).toBe('Ready');
  });

  it("fails when production's deployment fails, naming it", async () => {
    const r = await checkDeployment(
      { deployment: { ...candidate, production }, attempts: 0 },
      ctxWith({ cand: 'Active', prod: 'Failed' }),
    );
    expect(r.status).toBe('Failed');
    expect(r.message).toBe('production Provisioned Throughput prod failed: prod broke');
  });

  it('times out naming only what is still creating', async () => {
    const r = await checkDeployment(
      { deployment: { ...candidate, production }, attempts: 1 }, // 1 minute = 2 polls of 30 s
      ctxWith({ cand: 'Creating', prod: 'InService' }),
    );
    expect(r).toMatchObject({ status: 'Creating', timedOut: true });
    expect(r.message).toMatch(/^candidate deployment cand was still Creating after 1 minutes \(2 checks\)/);
    expect(r.message).not.toMatch(/production/);
  });

  it('without production, only the candidate is polled', async () => {
    const r = await checkDeployment({ deployment: candidate, attempts: 0 }, ctxWith({ cand: 'Active' }));
    expect(r).toMatchObject({ status: 'Ready', message: 'candidate deployment cand is Active' });
  });
});
