import {
  CreateCustomModelDeploymentCommand,
  CreateProvisionedModelThroughputCommand,
  ListCustomModelDeploymentsCommand,
  ListProvisionedModelThroughputsCommand,
} from '@aws-sdk/client-bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients.ts';
import { sweepBillableResources, TUNEKIT_PROJECT_TAG } from '../../src/bedrock/index.ts';
import type { LocalStack } from '../../src/local/stack.ts';
import { SEEDED_MODEL_ARN, startSeededStack } from './infra-stack.ts';

/**
 * The janitor's sweep against the local stack's Bedrock (real restJson1 wire shapes: list pagination,
 * ListTagsForResource, deletes), not a double, with an Active custom model seeded (./infra-stack.ts).
 */
let stack: LocalStack;
const MODEL_ARN = SEEDED_MODEL_ARN;

const savedEnv = { ...process.env };

beforeAll(async () => {
  stack = await startSeededStack();
  Object.assign(process.env, stack.env);
});

afterAll(async () => {
  await stack?.stop();
  process.env = savedEnv;
});

describe('janitor sweep against the local Bedrock', () => {
  it("deletes only the project's tagged or pipeline-named resources, after a dry run that deletes nothing", async () => {
    const { bedrock } = createAwsClients({ endpoints: { bedrock: stack.endpoint }, maxAttempts: 1 });
    const modelId = 'bank-model-1';
    const tag = (project: string) => [{ key: TUNEKIT_PROJECT_TAG, value: project }];
    // GIVEN a tagged PT of "bank", an untagged pipeline-named deployment of "bank", and two of others
    await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: 'bank-pt',
        modelId,
        modelUnits: 1,
        tags: tag('bank'),
      }),
    );
    await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: 'other-team',
        modelId,
        modelUnits: 1,
      }),
    );
    await bedrock.send(
      new CreateCustomModelDeploymentCommand({
        modelDeploymentName: 'bank-eval-0123456789ab',
        modelArn: MODEL_ARN,
      }),
    );
    await bedrock.send(
      new CreateCustomModelDeploymentCommand({
        modelDeploymentName: 'retail-deploy',
        modelArn: MODEL_ARN,
        tags: tag('retail'),
      }),
    );

    // WHEN a dry run sweeps project "bank"
    const dry = await sweepBillableResources(bedrock, { maxAgeMinutes: 0, project: 'bank', dryRun: true });
    // THEN it names the two resources of "bank" and deletes nothing
    expect(dry.entries.map((e) => [e.resource.name, e.action]).sort()).toEqual([
      ['bank-eval-0123456789ab', 'would-delete'],
      ['bank-pt', 'would-delete'],
    ]);

    // WHEN the real sweep runs
    const report = await sweepBillableResources(bedrock, { maxAgeMinutes: 0, project: 'bank' });
    // THEN those two are gone and nobody else's resources are touched
    expect(report).toMatchObject({ deleted: 2, failed: 0 });
    const pts = await bedrock.send(new ListProvisionedModelThroughputsCommand({}));
    const deployments = await bedrock.send(new ListCustomModelDeploymentsCommand({}));
    expect(pts.provisionedModelSummaries?.map((p) => p.provisionedModelName)).toEqual(['other-team']);
    expect(deployments.modelDeploymentSummaries?.map((d) => d.customModelDeploymentName)).toEqual([
      'retail-deploy',
    ]);
  });

  it('keeps resources younger than the max age', async () => {
    const { bedrock } = createAwsClients({ endpoints: { bedrock: stack.endpoint }, maxAttempts: 1 });
    await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: 'bank-young',
        modelId: 'bank-model-1',
        modelUnits: 1,
        tags: [{ key: TUNEKIT_PROJECT_TAG, value: 'bank' }],
      }),
    );
    const report = await sweepBillableResources(bedrock, { maxAgeMinutes: 360, project: 'bank' });
    expect(report.entries.map((e) => [e.resource.name, e.action])).toEqual([['bank-young', 'kept-young']]);
  });
});
