import { PRICING_PAGE } from './catalog-data.ts';
import type { ModelSpec } from './schema.ts';

/**
 * What a deployment costs per hour, from the catalog's sourced prices only: an on-demand custom model
 * deployment has no hourly charge (billed per token, bedrock-facts §9 and the page below); a no-commitment
 * Provisioned Throughput costs its model units × the base model's no-commitment rate. A price the catalog
 * does not have (unknown model, a commitment term, a rate no source states) is `usd: null` with the page
 * to check: never guessed.
 */
export interface HourlyCost {
  /** USD per hour; null when unknown. */
  usd: number | null;
  /** How it was worked out, in words. */
  basis: string;
  /** Where the price comes from (or where to look it up). */
  source: string;
  asOf?: string;
}

/** Per-token billing of custom model deployments (bedrock-facts [UG-ondemand]). */
export const ON_DEMAND_PRICING_SOURCE =
  'https://docs.aws.amazon.com/bedrock/latest/userguide/deploy-custom-model-on-demand.html';

export function hourlyCost(o: {
  mode: 'on-demand' | 'provisioned';
  base?: ModelSpec | undefined;
  modelUnits?: number | undefined;
  commitment?: string | undefined;
}): HourlyCost {
  if (o.mode === 'on-demand')
    return {
      usd: 0,
      basis: 'no hourly charge: billed per input and output token',
      source: ON_DEMAND_PRICING_SOURCE,
    };
  const units = o.modelUnits ?? 1;
  if (o.commitment)
    return {
      usd: null,
      basis: `${units} model unit(s) with a ${o.commitment} commitment: the catalog has no commitment rates`,
      source: PRICING_PAGE,
    };
  if (!o.base) return { usd: null, basis: 'its base model is not in the catalog', source: PRICING_PAGE };
  const price = o.base.prices.provisionedNoCommitPerHour;
  return {
    usd: price.usd === null ? null : Math.round(price.usd * units * 100) / 100,
    basis: `${units} model unit(s) × ${price.usd === null ? 'unknown' : `$${price.usd}`} ${price.unit} (${o.base.name})`,
    source: price.source,
    asOf: price.asOf,
  };
}
