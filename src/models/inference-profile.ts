import { TunekitError } from '../errors.ts';
import { CATALOG, findModel } from './catalog.ts';
import type { Geography, ModelSpec } from './schema.ts';

/**
 * Which id calls a base model on demand. Bedrock serves some models on demand only through a
 * cross-Region (system-defined) inference profile: the plain id is refused with a ValidationException
 * (bedrock-facts §11.4). The catalog says, per model, where the plain id works and the profile id per
 * geography; this module is the one place that turns that into the id to send.
 */

/** The geography of a Region's system-defined profiles (`us-east-1` -> `us`); undefined when unknown. */
export function geographyOf(region: string): Exclude<Geography, 'global'> | undefined {
  if (region.startsWith('us-gov-')) return undefined;
  if (region.startsWith('us-')) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region.startsWith('ap-')) return 'apac';
  return undefined;
}

export function requiresInferenceProfile(model: ModelSpec, region: string): boolean {
  return !model.onDemandInference.inRegion.includes(region);
}

/** The profile for calls from `region`: its geography's, else the global one; undefined when none. */
export function profileFor(model: ModelSpec, region: string): string | undefined {
  const geography = geographyOf(region);
  const profiles = model.onDemandInference.profiles;
  return (geography && profiles[geography]) ?? profiles.global;
}

export interface InferenceProfileMatch {
  model: ModelSpec;
  profileId: string;
  geography: Geography;
}

/** A system-defined profile named by id or ARN (`arn:aws:bedrock:<region>:<account>:inference-profile/<id>`). */
export function findInferenceProfile(identifier: string): InferenceProfileMatch | undefined {
  const id = identifier.includes(':inference-profile/')
    ? identifier.slice(identifier.indexOf(':inference-profile/') + ':inference-profile/'.length)
    : identifier;
  for (const model of CATALOG) {
    for (const [geography, profileId] of Object.entries(model.onDemandInference.profiles)) {
      if (profileId === id) return { model, profileId, geography: geography as Geography };
    }
  }
  return undefined;
}

/**
 * The model id to send to InvokeModel/Converse from `region`: a catalog base model that needs a profile
 * there becomes its profile id; anything else (profiles, deployment/PT ARNs, models the catalog does
 * not know) is sent as given.
 */
export function onDemandModelId(modelId: string, region: string): string {
  const model = modelId.startsWith('arn:') ? undefined : findModel(modelId);
  if (!model || !requiresInferenceProfile(model, region)) return modelId;
  const profile = profileFor(model, region);
  if (profile) return profile;
  throw new TunekitError(
    'MODEL.NO_ON_DEMAND_ROUTE',
    `${model.name} (${model.invokeId}) cannot be called on demand from ${region}: Bedrock requires an inference profile for it there, and the catalog knows none for this Region's geography`,
    {
      hint: `use a Region where it runs in-Region (${model.onDemandInference.inRegion.join(', ') || 'none'}) or one with a profile (${Object.values(model.onDemandInference.profiles).join(', ') || 'none'}); \`tunekit models --json\` lists both`,
    },
  );
}
