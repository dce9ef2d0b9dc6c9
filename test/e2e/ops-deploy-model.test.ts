import {
  type BedrockClient,
  ListCustomModelDeploymentsCommand,
  ListProvisionedModelThroughputsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel } from '../../src/models/catalog.ts';
import { SAMPLES } from '../../src/samples.ts';
import { type OpsStack, runInProcess, startOpsStack } from './ops-stack.ts';

let ops: OpsStack;
let bedrock: BedrockClient;
let modelArn: string;

beforeAll(async () => {
  ops = await startOpsStack({ bucket: 'tunekit-deploy' });
  bedrock = ops.bedrock;
  const trained = await cli(['train', SAMPLES.tutorialConversation, '--interval', '50', '--json']);
  modelArn = JSON.parse(trained.stdout).final.outputModelArn;
});
afterAll(async () => {
  await ops?.stack.stop();
});

function cli(args: string[]) {
  return runInProcess(args, { cwd: ops.dir, env: ops.env });
}
const deployments = async () =>
  (await bedrock.send(new ListCustomModelDeploymentsCommand({}))).modelDeploymentSummaries ?? [];
const throughputs = async () =>
  (await bedrock.send(new ListProvisionedModelThroughputsCommand({}))).provisionedModelSummaries ?? [];

describe('tunekit deploy-model / undeploy against the local stack', () => {
  it('refuses to create anything billable without a terminal and without --yes', async () => {
    const r = await cli(['deploy-model', modelArn, '--provisioned']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Cost: .*\/hour|Cost: unknown per hour/);
    expect(r.stderr).toContain('pass --yes');
    expect(await throughputs()).toEqual([]);
  });

  it('deploys on demand, tagged, waits until Active, and undeploy by name removes it', async () => {
    const r = await cli(['deploy-model', modelArn, '--yes', '--interval', '50', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ mode: 'on-demand', hourlyUsd: 0, status: 'Active', created: true });
    expect(r.stderr).toContain('no hourly charge');
    const { tags } = await bedrock.send(new ListTagsForResourceCommand({ resourceARN: out.arn }));
    expect(tags).toContainEqual({ key: 'tunekit:project', value: 'ops' });
    // Running it again finds the same deployment instead of paying for a second one.
    const again = JSON.parse((await cli(['deploy-model', modelArn, '--yes', '--json', '--no-wait'])).stdout);
    expect(again).toMatchObject({ arn: out.arn, created: false });

    const u = await cli(['undeploy', out.name]);
    expect(u.code).toBe(0);
    expect(u.stdout).toContain(`deleted on-demand ${out.arn}`);
    expect(await deployments()).toEqual([]);
  });

  it('provisions no-commit throughput with the catalog hourly price, undeploy by ARN deletes it', async () => {
    const r = await cli(['deploy-model', modelArn, '--provisioned', '--yes', '--interval', '50', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const price = getModel('amazon.nova-micro-v1:0:128k').prices.provisionedNoCommitPerHour.usd;
    expect(out).toMatchObject({ mode: 'provisioned', hourlyUsd: price, status: 'InService' });
    expect(r.stderr).toContain(price === null ? 'unknown per hour' : `$${price.toFixed(2)}/hour`);
    const [pt] = await throughputs();
    expect(pt?.commitmentDuration).toBeUndefined();
    expect((await cli(['undeploy', out.arn])).code).toBe(0);
    expect(await throughputs()).toEqual([]);
  });

  it('names what is missing: an unknown model, an unknown deployment', async () => {
    const m = await cli(['deploy-model', 'no-such-model', '--yes']);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain('custom model "no-such-model" not found');
    const d = await cli([
      'undeploy',
      'arn:aws:bedrock:us-east-1:000000000000:provisioned-model/nope12345678',
    ]);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('no deployment or Provisioned Throughput');
  });
});
