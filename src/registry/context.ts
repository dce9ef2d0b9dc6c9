import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CasOptions } from './index-store.ts';

/**
 * Where one model's registry lives and who is acting. The layout follows the tutorial (§1.4):
 *   <prefix><name>-vX.Y/            version folder (model-id.txt, training-config.json,
 *                                   training-data-manifest.json, evaluation-report.json, version.json)
 *   <prefix>_registry/<name>/index.json            versions, aliases, revision (the only rewritten object)
 *   <prefix>_registry/<name>/history/<rev>-<id>.json  one object per change, never rewritten
 */
export interface RegistryContext {
  s3: S3Client;
  bucket: string;
  /** Key prefix, `models/` by default (config `registry.prefix`). */
  prefix: string;
  /** Model name (config `project`), e.g. `banking-assistant`. */
  name: string;
  /** Who is acting, recorded in history; see `resolveActor`. */
  actor: string;
  now?: () => Date;
  /** Randomness for the backoff jitter (event ids use crypto); injectable so tests can be deterministic. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Retry tuning of the index compare-and-swap (see index-store.ts for the defaults). */
  cas?: CasOptions;
}

export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

export const versionFolder = (ctx: RegistryContext, version: string) =>
  `${normalizePrefix(ctx.prefix)}${ctx.name}-${version}/`;
const registryRoot = (ctx: RegistryContext) => `${normalizePrefix(ctx.prefix)}_registry/${ctx.name}/`;
export const indexKey = (ctx: RegistryContext) => `${registryRoot(ctx)}index.json`;
export const historyPrefix = (ctx: RegistryContext) => `${registryRoot(ctx)}history/`;
/** Zero-padded so a plain key listing is already in revision order. */
export const historyKey = (ctx: RegistryContext, revision: number, id: string) =>
  `${historyPrefix(ctx)}${String(revision).padStart(10, '0')}-${id}.json`;

/** `TUNEKIT_ACTOR` (set it in CI / Lambda to a role or pipeline name), else the OS user. */
export function resolveActor(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TUNEKIT_ACTOR?.trim()) return env.TUNEKIT_ACTOR.trim();
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

export const newEventId = () => randomBytes(6).toString('hex');
export const nowOf = (ctx: RegistryContext) => (ctx.now ?? (() => new Date()))();
