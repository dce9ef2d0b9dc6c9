import { createHash } from 'node:crypto';

/**
 * One home for how a run is named. Every path that starts a run (an upload locally or on AWS through the
 * starter Lambda, the schedule, `tunekit run`) names the execution by what it would train: the data's
 * bytes (S3 ETag and size) and the training settings. Step Functions refuses a second execution with a
 * name it has seen (`ExecutionAlreadyExists`, names are kept 90 days for standard workflows), so a
 * duplicate S3 event (delivered at least once, bedrock-facts §7.2) or identical bytes uploaded again start
 * no second paid training job. `--force` adds a recorded, time-stamped suffix to retrain on purpose.
 */

/** What decides the trained model besides the data: the config's training settings. */
export interface TrainingSettings {
  readonly baseModel?: string;
  readonly hyperparameters?: Record<string, unknown>;
  readonly training?: unknown;
  /** customization.method and its options: the same data distilled is another run than fine-tuned. */
  readonly customization?: { readonly method?: string } & Record<string, unknown>;
}

/** Key-order independent JSON, so the same settings always hash alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * A short hash of the training settings. Changing the base model, a hyperparameter, a training option or
 * the customization method (and its teacher, grader or options) makes the same data a new run; evaluation, gate and notifier settings do not (use `--force`).
 */
export function trainingFingerprint(settings: TrainingSettings): string {
  const relevant = {
    baseModel: settings.baseModel,
    hyperparameters: settings.hyperparameters ?? {},
    training: settings.training,
    // Fine-tuning (the default) adds nothing, so fingerprints from before methods stay as they were.
    customization:
      settings.customization && settings.customization.method !== 'fine-tuning'
        ? settings.customization
        : undefined,
  };
  return createHash('sha256').update(canonical(relevant)).digest('hex').slice(0, 16);
}

/** The data's identity as S3 reports it; ETags may come quoted. */
export interface ObjectContent {
  readonly etag: string;
  readonly size: number;
}

/** `--force`: a time-stamped suffix, so the name records that the run retrained on purpose. */
export const forceSuffix = (at: Date) =>
  `force-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '')}`;

/**
 * The execution name for training `content` with `fingerprint`: `data-<hash>` (21 chars), or
 * `data-<hash>-force-<yyyymmddThhmmss>` when forced; always within Step Functions' 80 characters of
 * `[A-Za-z0-9_-]`. The key is deliberately not part of it: the same bytes under another key are the same data.
 * A multipart upload's ETag depends on its part size, so identical bytes uploaded with another part size
 * are (conservatively) a new run.
 */
export function contentRunName(content: ObjectContent, fingerprint: string, force?: Date): string {
  const hash = createHash('sha256')
    .update([content.etag.replaceAll('"', ''), String(content.size), fingerprint].join('\n'))
    .digest('hex')
    .slice(0, 16);
  return force ? `data-${hash}-${forceSuffix(force)}` : `data-${hash}`;
}

/**
 * Why nothing started, as the trigger log, the starter Lambda's notification and `tunekit run` say it.
 * The earlier run may have failed or been stopped: its name still blocks a silent second payment.
 */
export const alreadyTrainedMessage = (uri: string, name: string) =>
  `${uri}: identical data already trained in run ${name} (\`tunekit runs show ${name}\`); nothing started. \`tunekit run --force\` retrains on purpose`;
