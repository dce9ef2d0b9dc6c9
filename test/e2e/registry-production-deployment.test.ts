import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BedrockClient,
  CreateCustomModelDeploymentCommand,
  CreateProvisionedModelThroughputCommand,
  DeleteCustomModelDeploymentCommand,
  GetCustomModelDeploymentCommand,
  GetProvisionedModelThroughputCommand,
  ListCustomModelDeploymentsCommand,
  ListProvisionedModelThroughputsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepBillableResources } from '../../src/bedrock/index.ts';
import { SAMPLES } from '../../src/samples.ts';
import { type OpsStack, ROLE, runInProcess, startOpsStack } from './ops-stack.ts';

/**
 * "promote and rollback move aliases (and, where configured, the production deployment)": the registry
 * CLI against the local stack's Bedrock, with two really trained custom models. The deployment must serve
 * the version before the alias names it, keep its ARN across promotions, and survive the janitor.
 */
let ops: OpsStack;
let bedrock: BedrockClient;
const models: string[] = [];

beforeAll(async () => {
  ops = await startOpsStack({ bucket: 'tunekit-prod' });
  bedrock = ops.bedrock;
  for (const data of [SAMPLES.tutorialConversation, SAMPLES.bankingTrain]) {
    const trained = await cli(['train', data, '--interval', '50', '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    models.push(JSON.parse(trained.stdout).final.outputModelArn);
  }
  for (const [i, customModelArn] of [
    ...models,
    'arn:aws:bedrock:us-east-1:000000000000:custom-model/gone',
  ].entries()) {
    const file = join(ops.dir, `lineage-${i}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        baseModelId: 'amazon.nova-micro-v1:0:128k',
        baseModelFamily: 'nova',
        jobArn: `arn:aws:bedrock:us-east-1:000000000000:model-customization-job/job-${i}`,
        customModelArn,
        gate: { passed: true, reasons: [] },
      }),
    );
    expect((await cli(['registry', 'register', '--from', file])).code).toBe(0);
  }
}, 60_000);
afterAll(async () => {
  bedrock?.destroy();
  await ops?.stack.stop();
});

function cli(args: string[]) {
  return runInProcess(args, { cwd: ops.dir, env: ops.env });
}
function configure(production: Record<string, unknown>, mode = 'auto') {
  writeFileSync(
    join(ops.dir, 'tunekit.config.json'),
    JSON.stringify({
      project: 'ops',
      bucket: 'tunekit-prod',
      roleArn: ROLE,
      deployment: { mode, production },
    }),
  );
}
const history = async () => JSON.parse((await cli(['registry', 'history', '--json'])).stdout);
const aliases = async () => JSON.parse((await cli(['registry', 'show', 'production', '--json'])).stdout);

describe('registry promote/rollback with a production deployment', () => {
  it('creates the deployment, waits until it serves, then moves the alias; later promotions update it in place', async () => {
    configure({ enabled: true });
    const first = await cli(['registry', 'promote', 'v1.0', '--interval', '50']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('ops-production: Creating');
    expect(first.stdout).toMatch(
      /promoted v1\.0 to production\nops-production serves it: arn:aws:bedrock:.*custom-model-deployment\//,
    );
    const [deployment] = (await bedrock.send(new ListCustomModelDeploymentsCommand({})))
      .modelDeploymentSummaries!;
    expect(deployment).toMatchObject({
      customModelDeploymentName: 'ops-production',
      status: 'Active',
      modelArn: models[0],
    });
    const arn = deployment!.customModelDeploymentArn!;
    const { tags } = await bedrock.send(new ListTagsForResourceCommand({ resourceARN: arn }));
    expect(tags).toEqual(
      expect.arrayContaining([
        { key: 'tunekit:project', value: 'ops' },
        { key: 'tunekit:role', value: 'production' },
      ]),
    );

    const second = await cli(['registry', 'promote', 'v1.1', '--interval', '50', '--reason', 'more data']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('Updating');
    const updated = await bedrock.send(
      new GetCustomModelDeploymentCommand({ customModelDeploymentIdentifier: arn }),
    );
    expect(updated).toMatchObject({
      modelArn: models[1],
      status: 'Active',
      updateDetails: { updateStatus: 'UpdateCompleted' },
    });
    expect((await aliases()).version).toBe('v1.1');

    const back = await cli(['registry', 'rollback', '--interval', '50', '--reason', 'tone']);
    expect(back.code, back.stderr).toBe(0);
    const rolled = await bedrock.send(
      new GetCustomModelDeploymentCommand({ customModelDeploymentIdentifier: arn }),
    );
    expect(rolled.modelArn).toBe(models[0]);
    const events = (await history()).filter(
      (e: { action: string }) => e.action !== 'reserve' && e.action !== 'register',
    );
    expect(
      events.map((e: { action: string; version: string; deploymentArn: string }) => [
        e.action,
        e.version,
        e.deploymentArn,
      ]),
    ).toEqual([
      ['promote', 'v1.0', arn],
      ['promote', 'v1.1', arn],
      ['rollback', 'v1.0', arn],
    ]);
    // Still one deployment: it was updated, never duplicated.
    expect(
      (await bedrock.send(new ListCustomModelDeploymentsCommand({}))).modelDeploymentSummaries,
    ).toHaveLength(1);
  });

  it('a model Bedrock cannot serve fails the promotion with the cause, and the aliases stay', async () => {
    configure({ enabled: true });
    const r = await cli(['registry', 'promote', 'v1.2', '--interval', '50']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('production deployment ops-production');
    expect(r.stderr).toContain('custom-model/gone');
    expect(r.stderr).toContain('the aliases were not moved');
    expect((await aliases()).version).toBe('v1.0');
  });

  it('the janitor and a plain cleanup keep the production deployment; cleanup --all would delete it', async () => {
    const report = await sweepBillableResources(bedrock, { maxAgeMinutes: 0, project: 'ops' });
    expect(report.entries.map((e) => [e.resource.name, e.action])).toEqual([
      ['ops-production', 'kept-production'],
    ]);
    const dry = await cli(['cleanup', '--dry-run', '--json']);
    const entries = JSON.parse(dry.stdout).entries as {
      resource: string;
      action: string;
      message?: string;
    }[];
    expect(entries.find((e) => e.resource.includes('custom-model-deployment/'))).toMatchObject({
      action: 'kept',
      message: expect.stringContaining('production'),
    });
    const all = await cli(['cleanup', '--all', '--dry-run', '--json']);
    const allEntries = JSON.parse(all.stdout).entries as { resource: string; action: string }[];
    expect(allEntries.find((e) => e.resource.includes('custom-model-deployment/'))?.action).toBe(
      'would-delete',
    );
  });

  it('refuses to take over a deployment with its name that tunekit did not create', async () => {
    const [own] = (await bedrock.send(new ListCustomModelDeploymentsCommand({}))).modelDeploymentSummaries!;
    await bedrock.send(
      new DeleteCustomModelDeploymentCommand({
        customModelDeploymentIdentifier: own!.customModelDeploymentArn,
      }),
    );
    await bedrock.send(
      new CreateCustomModelDeploymentCommand({ modelDeploymentName: 'someone-elses', modelArn: models[1] }),
    );
    configure({ enabled: true, name: 'someone-elses' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const r = await cli(['registry', 'promote', 'v1.1', '--interval', '50']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('was not created by tunekit');
    expect(r.stderr).toContain('set deployment.production.name');
    expect((await aliases()).version).toBe('v1.0');
  });

  it('--no-deployment moves only the aliases', async () => {
    configure({ enabled: true, name: 'someone-elses' });
    const r = await cli(['registry', 'promote', 'v1.1', '--no-deployment']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('serves it');
    expect((await aliases()).version).toBe('v1.1');
  });

  it('with Provisioned Throughput: creates one, then swaps its model in place', async () => {
    configure({ enabled: true, name: 'ops-prod-pt' }, 'provisioned');
    expect((await cli(['registry', 'promote', 'v1.0', '--interval', '50'])).code).toBe(0);
    const [pt] = (
      await bedrock.send(new ListProvisionedModelThroughputsCommand({ nameContains: 'ops-prod-pt' }))
    ).provisionedModelSummaries!;
    expect(pt).toMatchObject({ status: 'InService', modelArn: models[0] });
    expect((await cli(['registry', 'promote', 'v1.1', '--interval', '50'])).code).toBe(0);
    const after = await bedrock.send(
      new GetProvisionedModelThroughputCommand({ provisionedModelId: pt!.provisionedModelArn }),
    );
    expect(after).toMatchObject({ status: 'InService', modelArn: models[1] });
  });

  it('when the mode changes, the new deployment serves before the old one is deleted; a foreign one is kept', async () => {
    // A Provisioned Throughput named "ops-prod-pt" serves v1.1 (previous test). Now on-demand is wanted.
    configure({ enabled: true, name: 'ops-prod-pt' }, 'on-demand');
    const r = await cli(['registry', 'promote', 'v1.0', '--interval', '50']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('deleted the Provisioned Throughput it replaces');
    const pts = (
      await bedrock.send(new ListProvisionedModelThroughputsCommand({ nameContains: 'ops-prod-pt' }))
    ).provisionedModelSummaries;
    expect(pts).toEqual([]);
    const [served] = (
      await bedrock.send(new ListCustomModelDeploymentsCommand({ nameContains: 'ops-prod-pt' }))
    ).modelDeploymentSummaries!;
    expect(served).toMatchObject({ status: 'Active', modelArn: models[0] });

    // Someone else's PT with the name of our on-demand production deployment is never deleted.
    await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: 'ops-prod-pt',
        modelId: models[1],
        modelUnits: 1,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await cli(['registry', 'promote', 'v1.1', '--interval', '50'])).code).toBe(0);
    const kept = (
      await bedrock.send(new ListProvisionedModelThroughputsCommand({ nameContains: 'ops-prod-pt' }))
    ).provisionedModelSummaries;
    expect(kept).toHaveLength(1);
  });
});
