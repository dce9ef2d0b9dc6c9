import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { formatZodIssues } from '../config/load.ts';
import { TunekitError } from '../errors.ts';
import { historyPrefix, type RegistryContext } from './context.ts';
import { readIndex } from './index-store.ts';
import { getJson, s3Uri, storeError } from './s3-json.ts';
import { type HistoryEvent, HistoryEventSchema, type IndexEntry, type RegistryIndex } from './schema.ts';

/** Read side of the registry: listing (from the index alone) and the audit history. */

export interface VersionListing {
  name: string;
  revision: number;
  aliases: RegistryIndex['aliases'];
  versions: (IndexEntry & { aliases: string[] })[];
}

/** The aliases (production, previous) that name a version. */
export const aliasesOf = (index: RegistryIndex, version: string): string[] =>
  Object.entries(index.aliases)
    .filter(([, v]) => v === version)
    .map(([alias]) => alias);

/** Registered versions with their aliases; `all` adds pending (incomplete) reservations. */
export async function listVersions(
  ctx: RegistryContext,
  options: { all?: boolean } = {},
): Promise<VersionListing> {
  const { index } = await readIndex(ctx);
  return {
    name: index.name,
    revision: index.revision,
    aliases: index.aliases,
    versions: index.versions
      .filter((v) => options.all || v.status === 'registered')
      .map((v) => ({ ...v, aliases: aliasesOf(index, v.version) })),
  };
}

/**
 * Every event, oldest first. The newest event may still live only in the index (its writer crashed before
 * writing the history object); it is included from there, so history and index always agree.
 */
export async function readHistory(ctx: RegistryContext): Promise<HistoryEvent[]> {
  const { index } = await readIndex(ctx);
  const keys = await listKeys(ctx, historyPrefix(ctx));
  const events = await mapLimited(keys, 8, async (key) => {
    const stored = await getJson(ctx.s3, ctx.bucket, key);
    if (!stored) return undefined;
    const parsed = HistoryEventSchema.safeParse(stored.value);
    if (!parsed.success) {
      throw new TunekitError(
        'REGISTRY.CORRUPT',
        `${s3Uri(ctx.bucket, key)} is not a history event:\n${formatZodIssues(parsed.error.issues)}`,
        {
          hint: 'tunekit did not modify it; restore it from a previous S3 object version or move it out of the history prefix',
        },
      );
    }
    return parsed.data;
  });
  const byRevision = new Map<number, HistoryEvent>();
  for (const event of events) if (event) byRevision.set(event.revision, event);
  if (index.lastEvent && !byRevision.has(index.lastEvent.revision))
    byRevision.set(index.lastEvent.revision, index.lastEvent);
  // Only revisions the index has reached count: a history object beyond it cannot come from a swap that won.
  return [...byRevision.values()]
    .filter((e) => e.revision <= index.revision)
    .sort((a, b) => a.revision - b.revision);
}

async function listKeys(ctx: RegistryContext, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    try {
      const page = await ctx.s3.send(
        new ListObjectsV2Command({ Bucket: ctx.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } catch (e) {
      throw storeError(e, ctx.bucket, prefix, 'listing');
    }
  } while (token);
  return keys.sort();
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
