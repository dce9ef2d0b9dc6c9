import { readRef } from './aliases.ts';
import type { RegistryContext } from './context.ts';
import { readIndex } from './index-store.ts';
import { aliasesOf } from './read.ts';
import type { ModelVersion } from './schema.ts';

/** One version with its lineage and what the index adds: its aliases, and whether its custom model is gone. */
export interface VersionDetail extends ModelVersion {
  aliases: string[];
  customModelDeletedAt?: string;
}

/** What `tunekit registry show <ref>` prints and the dashboard's version page shows. */
export async function showVersion(ctx: RegistryContext, ref: string): Promise<VersionDetail> {
  const { index } = await readIndex(ctx);
  const record = await readRef(ctx, index, ref);
  // The version record is never rewritten; a later deletion of its custom model is in the index.
  const deleted = index.versions.find((v) => v.version === record.version)?.customModelDeletedAt;
  return {
    ...record,
    ...(deleted ? { customModelDeletedAt: deleted } : {}),
    aliases: aliasesOf(index, record.version),
  };
}
