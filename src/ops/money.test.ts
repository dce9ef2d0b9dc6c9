import type { BedrockClient } from '@aws-sdk/client-bedrock';
import { describe, expect, it } from 'vitest';
import { PRODUCTION_ROLE, TUNEKIT_PROJECT_TAG, TUNEKIT_ROLE_TAG } from '../bedrock/tags.ts';
import { ConfigSchema } from '../config/schema.ts';
import { PRICING_PAGE } from '../models/catalog-data.ts';
import { ON_DEMAND_PRICING_SOURCE } from '../models/hourly-cost.ts';
import { moneyNow, productionCost } from './money.ts';

const now = new Date('2026-12-04T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const arn = (kind: string, id: string) => `arn:aws:bedrock:us-east-1:111122223333:${kind}/${id}`;
const fm = (id: string) => `arn:aws:bedrock:us-east-1::foundation-model/${id}`;
const ours = [{ key: TUNEKIT_PROJECT_TAG, value: 'bank' }];

/** Bedrock's list calls (one page each) and tags, as the sweep reads them. */
function fakeBedrock() {
  const pts = [
    // A forgotten evaluation PT of a Titan Express model (a sourced no-commit rate), 2 units.
    {
      arn: arn('provisioned-model', 'old'),
      name: 'old',
      created: hoursAgo(9),
      fm: 'amazon.titan-text-express-v1:0:8k',
      units: 2,
      tags: ours,
    },
    // A Nova Micro PT: the catalog has no sourced PT rate for it.
    {
      arn: arn('provisioned-model', 'nova'),
      name: 'nova',
      created: hoursAgo(1),
      fm: 'amazon.nova-micro-v1:0:128k',
      units: 1,
      tags: ours,
    },
    // Someone else's: never listed.
    {
      arn: arn('provisioned-model', 'theirs'),
      name: 'theirs',
      created: hoursAgo(30),
      fm: 'amazon.titan-text-express-v1:0:8k',
      units: 1,
      tags: [],
    },
  ];
  const deployments = [
    {
      arn: arn('custom-model-deployment', 'prod'),
      name: 'bank-production',
      created: hoursAgo(48),
      tags: [...ours, { key: TUNEKIT_ROLE_TAG, value: PRODUCTION_ROLE }],
    },
  ];
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    switch (command.constructor.name) {
      case 'ListProvisionedModelThroughputsCommand':
        return {
          provisionedModelSummaries: pts.map((p) => ({
            provisionedModelArn: p.arn,
            provisionedModelName: p.name,
            creationTime: p.created,
            status: 'InService',
            modelArn: arn('custom-model', p.name),
            foundationModelArn: fm(p.fm),
            modelUnits: p.units,
          })),
        };
      case 'ListCustomModelDeploymentsCommand':
        return {
          modelDeploymentSummaries: deployments.map((d) => ({
            customModelDeploymentArn: d.arn,
            customModelDeploymentName: d.name,
            createdAt: d.created,
            status: 'Active',
            modelArn: arn('custom-model', 'v1'),
          })),
        };
      case 'ListTagsForResourceCommand':
        return { tags: [...pts, ...deployments].find((r) => r.arn === command.input.resourceARN)?.tags };
      default:
        throw new Error(`money must not call ${command.constructor.name}`);
    }
  };
  return { send } as unknown as BedrockClient;
}

const config = ConfigSchema.parse({ project: 'bank', bucket: 'bank-data' });

describe('moneyNow', () => {
  it("lists this project's billable resources with sourced hourly costs and what the janitor would delete", async () => {
    const money = await moneyNow(fakeBedrock(), config, { janitorMaxAgeMinutes: 360, now });
    expect(money.resources.map((r) => r.name).sort()).toEqual(['bank-production', 'nova', 'old']);
    const by = Object.fromEntries(money.resources.map((r) => [r.name, r]));
    // 2 model units × $20.50 (Titan Express no-commit rate, with its source).
    expect(by.old).toMatchObject({
      kind: 'provisioned-throughput',
      modelUnits: 2,
      janitor: 'would-delete',
      ageMinutes: 540,
      hourly: {
        usd: 41,
        basis: expect.stringMatching(/^2 model unit\(s\) × \$20\.5 per model unit per hour/),
      },
    });
    expect(by.old?.hourly.source).toMatch(/^https:\/\//);
    // No sourced rate: unknown, with the page to check; young, so the janitor keeps it.
    expect(by.nova).toMatchObject({ janitor: 'kept-young', hourly: { usd: null, source: PRICING_PAGE } });
    expect(by.nova?.hourly.basis).toMatch(/unknown/);
    // On-demand deployments bill per token; the production deployment is never the janitor's.
    expect(by['bank-production']).toMatchObject({
      production: true,
      janitor: 'kept-production',
      hourly: { usd: 0, source: ON_DEMAND_PRICING_SOURCE },
    });
    expect(money.perHour).toEqual({ knownUsd: 41, unknown: 1 });
    expect(money.janitorWouldSavePerHourUsd).toBe(41);
  });

  it('at a minimum age of 0 the janitor would delete every non-production resource', async () => {
    const money = await moneyNow(fakeBedrock(), config, { janitorMaxAgeMinutes: 0, now });
    expect(
      money.resources
        .filter((r) => r.janitor === 'would-delete')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['nova', 'old']);
  });
});

describe('productionCost', () => {
  it('says nothing moves when no production deployment is configured', () => {
    expect(productionCost(config, { version: 'v1.1', baseModelId: 'amazon.nova-micro-v1:0:128k' })).toEqual({
      enabled: false,
    });
  });

  it("prices the production deployment before and after a promotion, by each version's base model", () => {
    const enabled = ConfigSchema.parse({
      project: 'bank',
      bucket: 'bank-data',
      deployment: { production: { enabled: true } },
    });
    const cost = productionCost(
      enabled,
      { version: 'v2.0', baseModelId: 'amazon.titan-text-express-v1:0:8k' },
      { version: 'v1.0', baseModelId: 'amazon.nova-micro-v1:0:128k' },
    );
    expect(cost).toMatchObject({
      enabled: true,
      name: 'bank-production',
      to: { version: 'v2.0', mode: 'provisioned', hourly: { usd: 20.5 } },
      from: { version: 'v1.0', mode: 'on-demand', hourly: { usd: 0 } },
    });
  });
});
