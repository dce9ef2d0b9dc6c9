import { TunekitError, UsageError } from '../errors.ts';
import type { RegistryContext } from './context.ts';
import { readIndex, updateIndex } from './index-store.ts';
import { readVersion } from './register.ts';
import {
  AliasSchema,
  type HistoryEvent,
  type ModelVersion,
  type RegistryIndex,
  VERSION_PATTERN,
} from './schema.ts';

/**
 * Promote and rollback move the `production` and `previous` aliases. `productionStack` remembers every
 * production version in order, so `rollback` steps back one promotion at a time (twice goes back twice).
 * Moving the real deployment is not the registry's job (it makes no Bedrock calls): callers pass a hook,
 * which runs before the index changes — if it fails, the aliases still name what is actually deployed.
 * A hook that returns `pending` (the deployment is still switching) leaves the aliases where they are;
 * the caller asks again later (the pipeline's Promote state polls this way).
 */
export type ProductionHook = (change: {
  to: ModelVersion;
  from: string | undefined;
  action: 'promote' | 'rollback';
}) => Promise<{ deploymentArn?: string; pending?: boolean } | undefined>;

export interface AliasChangeOptions {
  reason?: string;
  /** Promote a version whose evaluation gate failed. */
  force?: boolean;
  onProductionChange?: ProductionHook;
}

export interface AliasChangeResult {
  changed: boolean;
  /** The production hook said the deployment is still switching; nothing changed yet. */
  pending?: boolean;
  production: string;
  previous: string | undefined;
  event: HistoryEvent | undefined;
}

const STACK_LIMIT = 100;

/** A version id or an alias name -> a version id (an unknown one is a usage error naming what exists). */
export function resolveRef(index: RegistryIndex, ref: string): string {
  const alias = AliasSchema.safeParse(ref);
  if (alias.success) {
    const target = index.aliases[alias.data];
    if (!target)
      throw new TunekitError('REGISTRY.NO_ALIAS', `alias "${ref}" is not set yet`, {
        hint: 'promote a version first: tunekit registry promote <version>',
      });
    return target;
  }
  if (!VERSION_PATTERN.test(ref))
    throw new UsageError(`"${ref}" is neither a version (v1.2) nor an alias (production, previous)`);
  if (!index.versions.some((v) => v.version === ref)) {
    const known = index.versions.filter((v) => v.status === 'registered').map((v) => v.version);
    throw new TunekitError('REGISTRY.UNKNOWN_VERSION', `version ${ref} does not exist`, {
      hint: known.length
        ? `registered versions: ${known.join(', ')}`
        : 'the registry is empty; versions are registered by `tunekit run`',
    });
  }
  return ref;
}

export function requireRegistered(index: RegistryIndex, version: string): void {
  const entry = index.versions.find((v) => v.version === version);
  if (entry?.status !== 'registered') {
    throw new TunekitError(
      'REGISTRY.INCOMPLETE',
      `${version} is not completely registered (status: ${entry?.status ?? 'missing'})`,
      {
        hint: 'only registered versions can be shown, compared or promoted; registering it again with the same job ARN finishes it (see `tunekit registry list --all`)',
      },
    );
  }
}

/** A version or alias -> its record, refusing versions that are not completely registered. */
export async function readRef(
  ctx: RegistryContext,
  index: RegistryIndex,
  ref: string,
): Promise<ModelVersion> {
  const version = resolveRef(index, ref);
  requireRegistered(index, version);
  return readVersion(ctx, version);
}

export async function promote(
  ctx: RegistryContext,
  ref: string,
  options: AliasChangeOptions = {},
): Promise<AliasChangeResult> {
  const { index } = await readIndex(ctx);
  const record = await readRef(ctx, index, ref);
  const version = record.version;
  if (record.gate && !record.gate.passed && !options.force) {
    throw new TunekitError(
      'REGISTRY.GATE_FAILED',
      `${version} failed its evaluation gate: ${record.gate.reasons.join('; ') || 'no reason recorded'}`,
      {
        hint: 'pass --force to promote it anyway (the override is recorded in the history)',
      },
    );
  }
  if (index.aliases.production === version) return unchanged(index);
  return moveProduction(ctx, 'promote', record, index.aliases.production, options, (stack) => [
    ...stack,
    version,
  ]);
}

export async function rollback(
  ctx: RegistryContext,
  options: AliasChangeOptions & { to?: string } = {},
): Promise<AliasChangeResult> {
  const { index } = await readIndex(ctx);
  const current = index.aliases.production;
  if (!current)
    throw new TunekitError(
      'REGISTRY.NO_PRODUCTION',
      'nothing is in production, so there is nothing to roll back',
      { hint: 'promote a version first' },
    );
  const target = options.to ? resolveRef(index, options.to) : index.productionStack.at(-2);
  if (!target) {
    throw new TunekitError(
      'REGISTRY.NO_PREVIOUS',
      `${current} is the only version ever in production; there is no previous one`,
      {
        hint: 'roll back to a specific version with --to <version>',
      },
    );
  }
  requireRegistered(index, target);
  if (target === current) return unchanged(index);
  const record = await readVersion(ctx, target);
  return moveProduction(ctx, 'rollback', record, current, options, (stack) => {
    const at = stack.lastIndexOf(target);
    return at >= 0 ? stack.slice(0, at + 1) : [...stack, target];
  });
}

async function moveProduction(
  ctx: RegistryContext,
  action: 'promote' | 'rollback',
  record: ModelVersion,
  expectedFrom: string | undefined,
  options: AliasChangeOptions,
  nextStack: (stack: string[]) => string[],
): Promise<AliasChangeResult> {
  const hooked = options.onProductionChange
    ? await options.onProductionChange({ to: record, from: expectedFrom, action })
    : undefined;
  if (hooked?.pending) {
    return {
      changed: false,
      pending: true,
      production: expectedFrom ?? '',
      previous: undefined,
      event: undefined,
    };
  }
  const out = await updateIndex(ctx, (index) => {
    const from = index.aliases.production;
    // Rollback targets depend on what is in production; if that moved under us, the user decides again.
    if (action === 'rollback' && from !== expectedFrom) {
      throw new TunekitError(
        'REGISTRY.RACED',
        `production changed from ${expectedFrom} to ${from} while rolling back`,
        { hint: 'check `tunekit registry history` and run the rollback again' },
      );
    }
    const stack = nextStack(index.productionStack).slice(-STACK_LIMIT);
    const previous = stack.at(-2);
    return {
      index: {
        ...index,
        productionStack: stack,
        aliases: { production: record.version, ...(previous ? { previous } : {}) },
      },
      event: {
        action,
        version: record.version,
        ...(from ? { from } : {}),
        ...(options.reason ? { reason: options.reason } : {}),
        ...(hooked?.deploymentArn ? { deploymentArn: hooked.deploymentArn } : {}),
        ...(action === 'promote' && record.gate && !record.gate.passed ? { forced: true } : {}),
      },
      result: undefined,
    };
  });
  return {
    changed: true,
    production: record.version,
    previous: out.index.aliases.previous,
    event: out.event,
  };
}

const unchanged = (index: RegistryIndex): AliasChangeResult => ({
  changed: false,
  production: index.aliases.production ?? '',
  previous: index.aliases.previous,
  event: undefined,
});
