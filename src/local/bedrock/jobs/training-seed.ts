import { createHash } from 'node:crypto';
import type { JobRecord } from '../records.ts';
import type { DataFile } from './train-job.ts';

/**
 * The local job's training seed. By default it is derived from everything that defines the run (the
 * base model, the hyperparameters, the training and validation bytes, the weights of a custom base
 * model), so the same inputs give the same model, the same loss curve and the same gate decision on
 * every run (it was derived from the random job id, so two runs on the same 40 records could end one
 * promoted and one rejected). A job tagged `tunekit:seed` = <integer> uses that seed instead (Bedrock
 * has no seed hyperparameter, and a job tag is accepted by AWS as it is).
 */
export const SEED_TAG = 'tunekit:seed';

export function trainingSeed(
  job: Pick<JobRecord, 'baseModelArn' | 'hyperParameters' | 'tags'>,
  training: DataFile,
  validation: DataFile[],
  baseArtifactJson: string | undefined,
): { seed: number } | { failure: string } {
  const tagged = job.tags.find((t) => t.key === SEED_TAG);
  if (tagged) {
    const seed = Number(tagged.value);
    if (tagged.value.trim() === '' || !Number.isSafeInteger(seed) || seed < 0)
      return {
        failure: `The job tag ${SEED_TAG}="${tagged.value}" is not a whole number >= 0. Tag the job with ${SEED_TAG}=<integer> (e.g. 42), or leave the tag out for a seed derived from the data, and start a new job.`,
      };
    return { seed: seed % 2_147_483_647 };
  }
  const hash = createHash('sha256');
  const part = (bytes: Uint8Array | string) => {
    hash.update(String(typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength));
    hash.update(':');
    hash.update(bytes);
  };
  part(job.baseModelArn);
  part(JSON.stringify(Object.entries(job.hyperParameters).sort(([a], [b]) => a.localeCompare(b))));
  part(training.buffer);
  for (const v of validation) part(v.buffer);
  part(baseArtifactJson ?? '');
  return { seed: hash.digest().readUInt32BE(0) % 2_147_483_647 };
}
