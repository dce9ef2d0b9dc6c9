import { deleteCustomModel } from '../bedrock/custom-models.ts';
import { readIndex, recordModelDeleted } from '../registry/index.ts';
import type { TaskContext } from './tasks/context.ts';
import { registryContext } from './tasks/registry-context.ts';

/**
 * The retention of rejected candidates' custom models (config `registry.rejectedModelRetentionDays`):
 * a version whose gate failed keeps its custom model — which bills monthly storage — for that many days
 * after it was registered, then its model is deleted and the registry records the deletion (the version,
 * its scores and lineage stay). Run by Teardown when the retention is 0 and by the janitor (AWS: the
 * scheduled Lambda; locally: the pipeline stack's timer). A version that is or ever was in production
 * (aliases, production stack) is never touched, even if it was promoted with --force.
 */

const DAY_MS = 24 * 3600 * 1000;

export type RejectedModelAction = 'deleted' | 'kept-retention' | 'would-delete' | 'failed';

export interface RejectedModelEntry {
  version: string;
  customModelArn: string;
  action: RejectedModelAction;
  /** When the retention ends (registration + retention days). */
  deleteAfter: string;
  message?: string;
}

export interface RejectedModelsOptions {
  now?: Date;
  /** Default: the config's `registry.rejectedModelRetentionDays`. */
  retentionDays?: number;
  dryRun?: boolean;
}

export async function deleteRejectedModels(
  ctx: Pick<TaskContext, 'config' | 'clients'>,
  options: RejectedModelsOptions = {},
): Promise<RejectedModelEntry[]> {
  const now = options.now ?? new Date();
  const retentionDays = options.retentionDays ?? ctx.config.registry.rejectedModelRetentionDays;
  const registry = registryContext({ ...ctx, configDir: '.' });
  const { index } = await readIndex(registry);
  const protectedVersions = new Set([...Object.values(index.aliases), ...index.productionStack]);
  const entries: RejectedModelEntry[] = [];
  for (const v of index.versions) {
    if (v.status !== 'registered' || v.gatePassed !== false || !v.customModelArn) continue;
    if (v.customModelDeletedAt || protectedVersions.has(v.version)) continue;
    const since = new Date(v.registeredAt ?? v.reservedAt);
    const deleteAfter = new Date(since.getTime() + retentionDays * DAY_MS);
    const entry = {
      version: v.version,
      customModelArn: v.customModelArn,
      deleteAfter: deleteAfter.toISOString(),
    };
    if (deleteAfter > now) {
      entries.push({ ...entry, action: 'kept-retention' });
      continue;
    }
    if (options.dryRun) {
      entries.push({ ...entry, action: 'would-delete' });
      continue;
    }
    try {
      const outcome = await deleteCustomModel(ctx.clients.bedrock, v.customModelArn);
      await recordModelDeleted(registry, v.version, {
        at: now,
        reason:
          outcome === 'gone'
            ? 'rejected candidate: its custom model was already gone'
            : `rejected candidate: custom model deleted after ${retentionDays} day(s) (registry.rejectedModelRetentionDays)`,
      });
      entries.push({ ...entry, action: 'deleted' });
    } catch (error) {
      // E.g. a deployment someone made by hand still uses it: reported, retried by the next sweep.
      entries.push({
        ...entry,
        action: 'failed',
        message: `${(error as Error).name}: ${(error as Error).message}`,
      });
    }
  }
  return entries;
}
