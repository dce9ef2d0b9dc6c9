import type { BedrockClient } from '@aws-sdk/client-bedrock';
import { deploymentModeFor } from '../bedrock/deployment.ts';
import { productionDeploymentName } from '../bedrock/production-deployment.ts';
import {
  DEFAULT_JANITOR_MAX_AGE_MINUTES,
  type SweepAction,
  sweepBillableResources,
} from '../bedrock/sweep.ts';
import type { Config } from '../config/schema.ts';
import { findModel } from '../models/catalog.ts';
import { type HourlyCost, hourlyCost } from '../models/hourly-cost.ts';

/**
 * Money now: what this project has deployed or provisioned (the janitor's and `tunekit cleanup`'s listing,
 * `sweepBillableResources` as a dry run), what each costs per hour from the catalog's sourced prices, and
 * what the janitor would delete at a given minimum age. Nothing is deleted here.
 */
export interface BillableNow {
  kind: 'provisioned-throughput' | 'custom-model-deployment';
  name: string;
  arn: string;
  status: string;
  createdAt: string;
  ageMinutes: number;
  production: boolean;
  modelArn?: string;
  baseModel?: string;
  modelUnits?: number;
  hourly: HourlyCost;
  /** What the janitor's sweep would do with it at `janitorMaxAgeMinutes`. */
  janitor: SweepAction;
  janitorNote?: string;
}

export interface MoneyReport {
  project: string;
  resources: BillableNow[];
  /** Sum of the known hourly costs; `unknown` counts those without a sourced price. */
  perHour: { knownUsd: number; unknown: number };
  janitorMaxAgeMinutes: number;
  /** Hourly cost the janitor's sweep would stop (known prices only). */
  janitorWouldSavePerHourUsd: number;
  checkedAt: string;
}

export async function moneyNow(
  bedrock: BedrockClient,
  config: Config,
  options: { janitorMaxAgeMinutes?: number; now?: Date } = {},
): Promise<MoneyReport> {
  const now = options.now ?? new Date();
  const maxAge = options.janitorMaxAgeMinutes ?? DEFAULT_JANITOR_MAX_AGE_MINUTES;
  const sweep = await sweepBillableResources(bedrock, {
    maxAgeMinutes: maxAge,
    project: config.project,
    dryRun: true,
    now,
  });
  const resources = sweep.entries.map(({ resource: r, action, ageMinutes, message }): BillableNow => {
    const base = r.foundationModelArn ? findModel(r.foundationModelArn) : undefined;
    return {
      kind: r.kind,
      name: r.name,
      arn: r.arn,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      ageMinutes,
      production: Boolean(r.production),
      ...(r.modelArn ? { modelArn: r.modelArn } : {}),
      ...(base ? { baseModel: base.name } : r.foundationModelArn ? { baseModel: r.foundationModelArn } : {}),
      ...(r.modelUnits !== undefined ? { modelUnits: r.modelUnits } : {}),
      hourly: hourlyCost({
        mode: r.kind === 'custom-model-deployment' ? 'on-demand' : 'provisioned',
        base,
        modelUnits: r.modelUnits,
        commitment: r.commitmentDuration,
      }),
      janitor: action,
      ...(message ? { janitorNote: message } : {}),
    };
  });
  const known = (rs: BillableNow[]) => rs.reduce((sum, r) => sum + (r.hourly.usd ?? 0), 0);
  const cents = (n: number) => Math.round(n * 100) / 100;
  return {
    project: config.project,
    resources,
    perHour: {
      knownUsd: cents(known(resources)),
      unknown: resources.filter((r) => r.hourly.usd === null).length,
    },
    janitorMaxAgeMinutes: maxAge,
    janitorWouldSavePerHourUsd: cents(known(resources.filter((r) => r.janitor === 'would-delete'))),
    checkedAt: now.toISOString(),
  };
}

export interface ProductionCost {
  /** False: no production deployment is configured; promote and rollback only move aliases. */
  enabled: boolean;
  name?: string;
  to?: { version: string; mode: string; hourly: HourlyCost };
  from?: { version: string; mode: string; hourly: HourlyCost };
}

/**
 * What the production deployment costs per hour once it serves `to` (and what it cost serving `from`):
 * the mode the deployment takes for that version's base model (`deploymentModeFor`, as promote uses),
 * one model unit when provisioned (`createNewDeployment`).
 */
export function productionCost(
  config: Config,
  to: { version: string; baseModelId: string },
  from?: { version: string; baseModelId: string },
): ProductionCost {
  if (!config.deployment.production.enabled) return { enabled: false };
  const side = (v: { version: string; baseModelId: string }) => {
    const mode = deploymentModeFor(config, v.baseModelId);
    return {
      version: v.version,
      mode,
      hourly: hourlyCost({ mode, base: findModel(v.baseModelId), modelUnits: 1 }),
    };
  };
  return {
    enabled: true,
    name: productionDeploymentName(config),
    to: side(to),
    ...(from ? { from: side(from) } : {}),
  };
}
