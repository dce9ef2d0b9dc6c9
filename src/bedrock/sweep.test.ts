import { describe, expect, it } from 'vitest';
import type { BedrockSender } from './find-billable.ts';
import { evaluationDeploymentName } from './names.ts';
import { sweepBillableResources } from './sweep.ts';
import { PRODUCTION_ROLE, TUNEKIT_PROJECT_TAG, TUNEKIT_ROLE_TAG } from './tags.ts';

/**
 * A tiny in-memory Bedrock control plane: the five operations the janitor calls, one item per page so
 * pagination is exercised, and a per-ARN delete failure to inject.
 */
interface FakeResource {
  arn: string;
  name: string;
  created: Date;
  tags: { key: string; value: string }[];
  commitmentExpirationTime?: Date;
}
function fakeBedrock(pts: FakeResource[], deployments: FakeResource[], failDelete = new Set<string>()) {
  const deleted: string[] = [];
  const page = <T>(items: T[], token: string | undefined) => {
    const i = token ? Number(token) : 0;
    return { items: items.slice(i, i + 1), nextToken: i + 1 < items.length ? String(i + 1) : undefined };
  };
  const remove = (list: FakeResource[], arn: string) => {
    if (failDelete.has(arn))
      throw Object.assign(new Error('Resource is busy'), { name: 'ConflictException' });
    const index = list.findIndex((r) => r.arn === arn);
    if (index < 0) throw Object.assign(new Error(`no ${arn}`), { name: 'ResourceNotFoundException' });
    list.splice(index, 1);
    deleted.push(arn);
    return {};
  };
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const input = command.input;
    switch (command.constructor.name) {
      case 'ListProvisionedModelThroughputsCommand': {
        const { items, nextToken } = page(pts, input.nextToken as string | undefined);
        return {
          nextToken,
          provisionedModelSummaries: items.map((r) => ({
            provisionedModelArn: r.arn,
            provisionedModelName: r.name,
            creationTime: r.created,
            status: 'InService',
            commitmentExpirationTime: r.commitmentExpirationTime,
          })),
        };
      }
      case 'ListCustomModelDeploymentsCommand': {
        const { items, nextToken } = page(deployments, input.nextToken as string | undefined);
        return {
          nextToken,
          modelDeploymentSummaries: items.map((r) => ({
            customModelDeploymentArn: r.arn,
            customModelDeploymentName: r.name,
            createdAt: r.created,
            status: 'Active',
          })),
        };
      }
      case 'ListTagsForResourceCommand':
        return { tags: [...pts, ...deployments].find((r) => r.arn === input.resourceARN)?.tags ?? [] };
      case 'DeleteProvisionedModelThroughputCommand':
        return remove(pts, input.provisionedModelId as string);
      case 'DeleteCustomModelDeploymentCommand':
        return remove(deployments, input.customModelDeploymentIdentifier as string);
      default:
        throw new Error(`unexpected command ${command.constructor.name}`);
    }
  };
  return { client: { send } as unknown as BedrockSender, deleted, pts, deployments };
}

const now = new Date('2026-11-24T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const tag = (project: string) => [{ key: TUNEKIT_PROJECT_TAG, value: project }];
const pt = (
  id: string,
  created: Date,
  tags = tag('bank'),
  extra: Partial<FakeResource> = {},
): FakeResource => ({
  arn: `arn:aws:bedrock:us-east-1:111122223333:provisioned-model/${id}`,
  name: id,
  created,
  tags,
  ...extra,
});
const dep = (id: string, created: Date, tags = tag('bank')): FakeResource => ({
  arn: `arn:aws:bedrock:us-east-1:111122223333:custom-model-deployment/${id}`,
  name: id,
  created,
  tags,
});

describe('sweepBillableResources', () => {
  it('deletes only tunekit-tagged resources older than the max age, across pages', async () => {
    // GIVEN an old and a young tunekit PT, an old tunekit deployment, and an old untagged one
    const fake = fakeBedrock(
      [pt('old-pt', hoursAgo(7)), pt('young-pt', hoursAgo(1)), pt('other-team', hoursAgo(30), [])],
      [dep('old-dep', hoursAgo(6.5)), dep('foreign', hoursAgo(9), [{ key: 'team', value: 'x' }])],
    );
    // WHEN the janitor sweeps with a 6-hour limit
    const report = await sweepBillableResources(fake.client, { maxAgeMinutes: 360, now });
    // THEN only the two old tunekit resources are gone; nobody else's resources are touched
    expect(fake.deleted.map((arn) => arn.split('/')[1]).sort()).toEqual(['old-dep', 'old-pt']);
    expect(fake.pts.map((r) => r.name).sort()).toEqual(['other-team', 'young-pt']);
    expect(report.deleted).toBe(2);
    expect(report.entries.find((e) => e.resource.name === 'young-pt')).toMatchObject({
      action: 'kept-young',
      ageMinutes: 60,
    });
    expect(report.entries.map((e) => e.resource.name)).not.toContain('other-team');
  });

  it('keeps going when one delete fails and reports why', async () => {
    // GIVEN two old PTs, the first of which Bedrock refuses to delete
    const busy = pt('busy', hoursAgo(8));
    const fake = fakeBedrock([busy, pt('fine', hoursAgo(8))], [], new Set([busy.arn]));
    // WHEN swept
    const report = await sweepBillableResources(fake.client, { maxAgeMinutes: 60, now });
    // THEN the second is still deleted and the failure names the error
    expect(fake.pts.map((r) => r.name)).toEqual(['busy']);
    expect(report.failed).toBe(1);
    expect(report.entries.find((e) => e.resource.name === 'busy')?.message).toBe(
      'ConflictException: Resource is busy',
    );
  });

  it('skips committed throughput, honours dry runs and the project filter', async () => {
    // GIVEN a committed PT, an old PT of another project and one of ours
    const committed = pt('committed', hoursAgo(48), tag('bank'), {
      commitmentExpirationTime: hoursAgo(-700),
    });
    const fake = fakeBedrock(
      [committed, pt('theirs', hoursAgo(48), tag('retail')), pt('ours', hoursAgo(48))],
      [],
    );
    // WHEN a dry run sweeps project "bank"
    const report = await sweepBillableResources(fake.client, {
      maxAgeMinutes: 60,
      now,
      project: 'bank',
      dryRun: true,
    });
    // THEN nothing is deleted, ours would be, the committed one is kept with its end date, retail is not listed
    expect(fake.deleted).toEqual([]);
    expect(report.entries.map((e) => [e.resource.name, e.action])).toEqual([
      ['committed', 'kept-committed'],
      ['ours', 'would-delete'],
    ]);
  });

  it("recognises untagged evaluation deployments by the pipeline's name when a project is given", async () => {
    // GIVEN an untagged deployment named like the pipeline names them, and a look-alike with a bad suffix
    const fake = fakeBedrock(
      [],
      [
        dep('bank-eval-0123456789ab', hoursAgo(9), []),
        dep('bank-eval-latest', hoursAgo(9), []),
        // production's deployment for the same evaluation, and a look-alike of it
        dep('bank-evalprod-0123456789ab', hoursAgo(9), []),
        dep('bank-evalproduction-0123456789ab', hoursAgo(9), []),
      ],
    );
    // WHEN project "bank" is swept
    const report = await sweepBillableResources(fake.client, { maxAgeMinutes: 60, now, project: 'bank' });
    // THEN only the exact pipeline-shaped names (candidate's and production's) are deleted
    expect(fake.deleted).toHaveLength(2);
    expect(report.entries.map((e) => [e.resource.name, e.action])).toEqual([
      ['bank-eval-0123456789ab', 'deleted'],
      ['bank-evalprod-0123456789ab', 'deleted'],
    ]);
  });

  it('recognises them for a project name the pipeline has to normalise', async () => {
    // GIVEN an untagged evaluation deployment the pipeline named for project "team--bank-"
    const name = evaluationDeploymentName('team--bank-', 'arn:aws:states:us-east-1:1:execution:p:run-1');
    const fake = fakeBedrock([], [dep(name, hoursAgo(9), [])]);
    // WHEN that project is swept
    const report = await sweepBillableResources(fake.client, {
      maxAgeMinutes: 60,
      now,
      project: 'team--bank-',
    });
    // THEN it is found and deleted, though its name reads "team-bank-eval-…"
    expect(name).toMatch(/^team-bank-eval-[0-9a-f]{12}$/);
    expect(report.entries.map((e) => [e.resource.name, e.action])).toEqual([[name, 'deleted']]);
  });

  it('never deletes the production deployment unless asked to (cleanup --all)', async () => {
    // GIVEN a week-old production deployment and a week-old forgotten evaluation deployment
    const production = [...tag('bank'), { key: TUNEKIT_ROLE_TAG, value: PRODUCTION_ROLE }];
    const fake = fakeBedrock(
      [],
      [dep('bank-production', hoursAgo(168), production), dep('stale', hoursAgo(168))],
    );
    // WHEN the janitor sweeps
    const report = await sweepBillableResources(fake.client, { maxAgeMinutes: 60, now, project: 'bank' });
    // THEN only the stale one goes; production is kept and says why
    expect(fake.deleted.map((arn) => arn.split('/')[1])).toEqual(['stale']);
    expect(report.entries.find((e) => e.resource.name === 'bank-production')).toMatchObject({
      action: 'kept-production',
    });
    // AND with includeProduction it goes too
    await sweepBillableResources(fake.client, { maxAgeMinutes: 60, now, includeProduction: true });
    expect(fake.deployments).toEqual([]);
  });

  it('fails on a negative age instead of deleting everything', async () => {
    const fake = fakeBedrock([pt('a', hoursAgo(1))], []);
    await expect(sweepBillableResources(fake.client, { maxAgeMinutes: -5, now })).rejects.toThrow(
      'maxAgeMinutes must be a number >= 0 (got -5)',
    );
    expect(fake.deleted).toEqual([]);
  });
});
