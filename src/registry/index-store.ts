import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { formatZodIssues } from '../config/load.ts';
import { TunekitError } from '../errors.ts';
import { historyKey, historyPrefix, indexKey, newEventId, nowOf, type RegistryContext } from './context.ts';
import { getJson, putJson, s3Uri, storeError } from './s3-json.ts';
import { emptyIndex, type HistoryEvent, type RegistryIndex, RegistryIndexSchema } from './schema.ts';

/**
 * The index is the registry's one mutable object. Every change is a compare-and-swap: GET (ETag) ->
 * modify -> PUT with `If-Match: <etag>` (or `If-None-Match: *` when creating it); a 412/409 means another
 * writer got there first, so we re-read and re-apply with jittered backoff. Each successful swap bumps
 * `revision` by one and carries exactly one history event, so revision = number of events.
 */

export interface LoadedIndex {
  index: RegistryIndex;
  /** Undefined when the index does not exist yet. */
  etag: string | undefined;
}

export async function readIndex(ctx: RegistryContext): Promise<LoadedIndex> {
  const key = indexKey(ctx);
  const stored = await getJson(ctx.s3, ctx.bucket, key);
  if (!stored) return { index: emptyIndex(ctx.name, nowOf(ctx)), etag: undefined };
  const parsed = RegistryIndexSchema.safeParse(stored.value);
  if (!parsed.success) {
    throw new TunekitError(
      'REGISTRY.CORRUPT',
      `${s3Uri(ctx.bucket, key)} is not a tunekit registry index:\n${formatZodIssues(parsed.error.issues)}`,
      {
        hint:
          'tunekit did not modify it. If another tool owns this key, use a different registry.prefix; ' +
          'otherwise restore the object from a previous S3 object version',
      },
    );
  }
  if (parsed.data.name !== ctx.name) {
    throw new TunekitError(
      'REGISTRY.CORRUPT',
      `${s3Uri(ctx.bucket, key)} belongs to model "${parsed.data.name}", not "${ctx.name}"`,
      { hint: 'tunekit did not modify it; check the project name in tunekit.config.json' },
    );
  }
  return { index: parsed.data, etag: stored.etag };
}

/** What a mutation produces: the next index (revision and lastEvent are filled in here) and its event. */
export interface Change<T> {
  index: Omit<RegistryIndex, 'revision' | 'lastEvent' | 'updatedAt'>;
  event: Omit<HistoryEvent, 'revision' | 'id' | 'at' | 'actor'>;
  result: T;
}

/** A mutation returns `{ unchanged }` when there is nothing to do (e.g. already promoted). */
export type Mutation<T> = (index: RegistryIndex) => Change<T> | { unchanged: T };

export interface CasOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface CasOutcome<T> {
  result: T;
  index: RegistryIndex;
  event: HistoryEvent | undefined;
  attempts: number;
}

export async function updateIndex<T>(
  ctx: RegistryContext,
  mutate: Mutation<T>,
  options: CasOptions = ctx.cas ?? {},
): Promise<CasOutcome<T>> {
  const maxAttempts = options.maxAttempts ?? 60;
  const base = options.baseDelayMs ?? 25;
  const cap = options.maxDelayMs ?? 1000;
  const random = ctx.random ?? Math.random;
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const eventId = newEventId();
  let tried: { revision: number; result: T } | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const { index, etag } = await readIndex(ctx);
    // Our previous PUT may have landed even though we saw a conflict (an SDK retry of a write whose
    // response was lost). The event id tells us — in the index, or in the history if someone has written
    // since — so the change is never applied twice.
    if (tried && (await landed(ctx, index, tried.revision, eventId))) {
      const event = index.lastEvent?.id === eventId ? index.lastEvent : undefined;
      return { result: tried.result, index, event, attempts: attempt };
    }
    if (!etag && (await hasHistory(ctx))) {
      if ((await readIndex(ctx)).etag === undefined) throw indexMissing(ctx);
      continue; // another writer created the index (and its first event) since we read it
    }
    await persistEvent(ctx, index.lastEvent);
    const change = mutate(index);
    if ('unchanged' in change)
      return { result: change.unchanged, index, event: undefined, attempts: attempt };
    const at = nowOf(ctx).toISOString();
    const event: HistoryEvent = {
      ...change.event,
      revision: index.revision + 1,
      id: eventId,
      at,
      actor: ctx.actor,
    };
    const next: RegistryIndex = {
      ...change.index,
      revision: event.revision,
      lastEvent: event,
      updatedAt: at,
    };
    tried = { revision: event.revision, result: change.result };
    const put = await putJson(
      ctx.s3,
      ctx.bucket,
      indexKey(ctx),
      next,
      etag ? { ifMatch: etag } : { ifNoneMatch: '*' },
    );
    if (put.ok) {
      // Best effort: if this fails (or we are killed here), the next writer persists it before its own swap.
      await persistEvent(ctx, event).catch(() => undefined);
      return { result: change.result, index: next, event, attempts: attempt };
    }
    // Full jitter: spreads 20 racing writers out instead of having them collide again in lockstep.
    await sleep(Math.floor(random() * Math.min(cap, base * 2 ** Math.min(attempt, 10))));
  }
  throw new TunekitError(
    'REGISTRY.CONTENDED',
    `could not update ${s3Uri(ctx.bucket, indexKey(ctx))}: ${maxAttempts} attempts lost the race to other writers`,
    { hint: 'nothing was changed; run the command again' },
  );
}

/** A missing index with history beside it was deleted, not never created: recreating it would drop versions. */
async function hasHistory(ctx: RegistryContext): Promise<boolean> {
  const prefix = historyPrefix(ctx);
  try {
    const page = await ctx.s3.send(
      new ListObjectsV2Command({ Bucket: ctx.bucket, Prefix: prefix, MaxKeys: 1 }),
    );
    return (page.Contents ?? []).length > 0;
  } catch (e) {
    throw storeError(e, ctx.bucket, prefix, 'listing');
  }
}

const indexMissing = (ctx: RegistryContext) =>
  new TunekitError(
    'REGISTRY.INDEX_MISSING',
    `${s3Uri(ctx.bucket, indexKey(ctx))} is missing but ${s3Uri(ctx.bucket, historyPrefix(ctx))} has events`,
    {
      hint: 'the index was deleted; restore it from a previous S3 object version (tunekit will not start a new one over existing history)',
    },
  );

async function landed(
  ctx: RegistryContext,
  index: RegistryIndex,
  revision: number,
  id: string,
): Promise<boolean> {
  if (index.lastEvent?.id === id) return true;
  if (index.revision < revision) return false;
  return (await getJson(ctx.s3, ctx.bucket, historyKey(ctx, revision, id))) !== undefined;
}

/** Writes the history object of an event if it is not there yet (create-only: a conflict means it is). */
async function persistEvent(ctx: RegistryContext, event: HistoryEvent | undefined): Promise<void> {
  if (!event) return;
  await putJson(ctx.s3, ctx.bucket, historyKey(ctx, event.revision, event.id), event, { ifNoneMatch: '*' });
}
