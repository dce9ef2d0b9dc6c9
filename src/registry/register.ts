import { formatZodIssues } from '../config/load.ts';
import { TunekitError } from '../errors.ts';
import { nowOf, type RegistryContext, versionFolder } from './context.ts';
import { updateIndex } from './index-store.ts';
import { getJson, putText, s3Uri } from './s3-json.ts';
import {
  type IndexEntry,
  type ModelVersion,
  ModelVersionSchema,
  type VersionInput,
  VersionInputSchema,
} from './schema.ts';
import { type Bump, compareVersions, nextVersion } from './version-number.ts';

/**
 * Registers a version in three steps, each safe to crash after:
 *  1. reserve the number in the index (CAS; entry `pending`) — two writers never get the same number;
 *  2. write the folder objects create-only (`If-None-Match: *`), `version.json` last;
 *  3. mark the entry `registered` (CAS). Only registered versions are listed, shown or promotable.
 * A crash leaves a `pending` entry whose number is never reused. Registering again with the same job ARN
 * resumes that entry instead of creating a new version, so a retried RegisterModel step is idempotent.
 */
export interface RegisterResult {
  version: ModelVersion;
  /** False when this job ARN was already registered (a retry). */
  created: boolean;
}

export async function registerVersion(
  ctx: RegistryContext,
  input: VersionInput,
  options: { bump?: Bump; source?: string } = {},
): Promise<RegisterResult> {
  const parsed = VersionInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new TunekitError(
      'REGISTRY.INVALID_VERSION',
      `${options.source ? `${options.source}: ` : ''}version record is invalid:\n${formatZodIssues(parsed.error.issues)}`,
      {
        hint: 'supply the lineage fields listed above (see docs/registry.md)',
      },
    );
  }
  const data = parsed.data;
  const dataFormat = data.dataManifest?.format;
  const reserved = await updateIndex<{ entry: IndexEntry; existing: boolean }>(ctx, (index) => {
    const same = data.jobArn ? index.versions.find((v) => v.jobArn === data.jobArn) : undefined;
    if (same) return { unchanged: { entry: same, existing: true } };
    const version = nextVersion({
      existing: index.versions,
      baseModelId: data.baseModelId,
      dataFormat,
      bump: options.bump,
    });
    const entry: IndexEntry = {
      version,
      status: 'pending',
      reservedAt: nowOf(ctx).toISOString(),
      baseModelId: data.baseModelId,
      ...(data.customization ? { method: data.customization.method } : {}),
      ...(dataFormat ? { dataFormat } : {}),
      ...(data.jobArn ? { jobArn: data.jobArn } : {}),
    };
    return {
      index: { ...index, versions: [...index.versions, entry] },
      event: { action: 'reserve', version },
      result: { entry, existing: false },
    };
  });
  const { entry } = reserved.result;
  if (entry.status === 'registered')
    return { version: await readVersion(ctx, entry.version), created: false };

  const record: ModelVersion = ModelVersionSchema.parse({
    ...data,
    schemaVersion: 1,
    name: ctx.name,
    version: entry.version,
    registeredAt: nowOf(ctx).toISOString(),
    registeredBy: ctx.actor,
  });
  await writeFolder(ctx, record, input.evaluationReport);
  // If a previous attempt wrote version.json, that one is the record (create-only never replaced it).
  const stored = await readVersion(ctx, entry.version);

  await updateIndex(ctx, (index) => {
    const current = index.versions.find((v) => v.version === entry.version);
    if (!current) {
      throw new TunekitError(
        'REGISTRY.CORRUPT',
        `${entry.version} vanished from the index while registering`,
        {
          hint: 'the index was replaced by something other than tunekit; restore it from a previous object version',
        },
      );
    }
    if (current.status === 'registered') return { unchanged: undefined };
    const done: IndexEntry = {
      ...current,
      status: 'registered',
      registeredAt: stored.registeredAt,
      ...(stored.customModelArn ? { customModelArn: stored.customModelArn } : {}),
      ...(stored.gate ? { gatePassed: stored.gate.passed } : {}),
      ...(stored.evaluation?.scores.overall !== undefined
        ? { overallScore: stored.evaluation.scores.overall }
        : {}),
    };
    return {
      index: {
        ...index,
        versions: index.versions
          .map((v) => (v.version === done.version ? done : v))
          .sort((a, b) => compareVersions(a.version, b.version)),
      },
      event: { action: 'register', version: done.version },
      result: undefined,
    };
  });
  return { version: stored, created: !reserved.result.existing };
}

/** The tutorial's folder files, then version.json (the complete record) last. */
async function writeFolder(ctx: RegistryContext, record: ModelVersion, report: unknown): Promise<void> {
  const folder = versionFolder(ctx, record.version);
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  const files: [string, string, string][] = [
    ['model-id.txt', `${record.customModelArn ?? record.baseModelId}\n`, 'text/plain'],
    [
      'training-config.json',
      json({
        baseModelId: record.baseModelId,
        baseModelFamily: record.baseModelFamily,
        jobArn: record.jobArn,
        hyperparameters: record.hyperparameters,
      }),
      'application/json',
    ],
  ];
  if (record.dataManifest)
    files.push(['training-data-manifest.json', json(record.dataManifest), 'application/json']);
  if (report !== undefined || record.evaluation) {
    files.push(['evaluation-report.json', json(report ?? record.evaluation), 'application/json']);
  }
  for (const [file, body, type] of files) {
    await putText(ctx.s3, ctx.bucket, folder + file, body, { ifNoneMatch: '*' }, type);
  }
  await putText(ctx.s3, ctx.bucket, `${folder}version.json`, json(record), { ifNoneMatch: '*' });
}

export async function readVersion(ctx: RegistryContext, version: string): Promise<ModelVersion> {
  const key = `${versionFolder(ctx, version)}version.json`;
  const stored = await getJson(ctx.s3, ctx.bucket, key);
  if (!stored) {
    throw new TunekitError(
      'REGISTRY.INCOMPLETE',
      `${s3Uri(ctx.bucket, key)} is missing: ${version} is not completely registered`,
      {
        hint: 'register it again with the same job ARN to finish it, or pick another version (`tunekit registry list`)',
      },
    );
  }
  const parsed = ModelVersionSchema.safeParse(stored.value);
  if (!parsed.success) {
    throw new TunekitError(
      'REGISTRY.CORRUPT',
      `${s3Uri(ctx.bucket, key)} is not a tunekit version record:\n${formatZodIssues(parsed.error.issues)}`,
      {
        hint: 'tunekit did not modify it; restore it from a previous S3 object version',
      },
    );
  }
  return parsed.data;
}
