import { z } from 'zod';
import { TunekitError } from '../../errors.ts';
import type { ModelSpec } from '../../models/schema.ts';
import { EmbeddingTable } from './embedding-table.ts';
import type { ModelArtifact } from './engine.port.ts';
import type { LocalModel } from './model.ts';
import { fnv1a } from './prng.ts';

/**
 * The model file: JSON with the trained embedding rows as int8 + per-row scale (base64), the slot
 * vectors as base64 Float32, and the answer memory as text. Untrained rows are not stored: they are
 * regenerated from the seed. Versioned so a future engine can refuse or migrate old artifacts.
 */
const ARTIFACT_VERSION = 1;
const ARTIFACT_KIND = 'dual-encoder-retrieval';

const PayloadSchema = z.object({
  format: z.literal('tunekit-local-model'),
  version: z.literal(ARTIFACT_VERSION),
  kind: z.literal(ARTIFACT_KIND),
  seed: z.int(),
  dim: z.int().positive(),
  temperature: z.number().positive(),
  threshold: z.number(),
  memory: z.array(
    z.object({ answer: z.string(), prompts: z.array(z.string()), source: z.enum(['base', 'train']) }),
  ),
  rows: z.object({ index: z.string(), scale: z.string(), values: z.string() }),
  slots: z.string(),
});

const b64 = (view: ArrayBufferView) =>
  Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');
function fromB64<T>(text: string, Ctor: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % Ctor.BYTES_PER_ELEMENT !== 0) {
    throw new TunekitError('ENGINE.ARTIFACT', 'model parameters are truncated', {
      hint: 'the model file is damaged; retrain the model',
    });
  }
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return new Ctor(copy);
}

export function encodeArtifact(
  model: LocalModel,
  family: ModelSpec['family'],
  extra: Record<string, unknown> = {},
): ModelArtifact {
  const { table } = model;
  const rows = table.trainedRows();
  const scale = new Float32Array(rows.length);
  const values = new Int8Array(rows.length * table.dim);
  rows.forEach((r, i) => {
    const row = table.row(r);
    let max = 0;
    for (const x of row) max = Math.max(max, Math.abs(x));
    const s = max / 127 || 1;
    scale[i] = s;
    for (let k = 0; k < table.dim; k++) values[i * table.dim + k] = Math.round(row[k]! / s);
  });
  const slots = new Float32Array(model.slots.length * table.dim);
  for (const [j, slot] of model.slots.entries()) slots.set(slot, j * table.dim);
  return {
    format: 'tunekit-local-model',
    version: ARTIFACT_VERSION,
    family,
    kind: ARTIFACT_KIND,
    seed: table.seed,
    dim: table.dim,
    temperature: model.temperature,
    threshold: model.threshold,
    memory: model.memory,
    rows: { index: b64(Int32Array.from(rows)), scale: b64(scale), values: b64(values) },
    slots: b64(slots),
    ...extra,
  };
}

const decoded = new WeakMap<ModelArtifact, LocalModel>();
/**
 * Recently decoded models by content, so a control plane that re-reads the same model file for every
 * request decodes it once (decoding regenerates thousands of embedding rows: ~100 ms).
 */
const recent = new Map<string, LocalModel>();
const RECENT_MAX = 8;

function contentKey(artifact: ModelArtifact): string | undefined {
  const rows = artifact.rows as { values?: unknown } | undefined;
  if (typeof rows?.values !== 'string' || typeof artifact.slots !== 'string') return undefined;
  const memory = JSON.stringify(artifact.memory ?? null);
  return [
    fnv1a(rows.values),
    fnv1a(artifact.slots),
    fnv1a(memory),
    rows.values.length,
    artifact.slots.length,
    artifact.seed,
    artifact.threshold,
    artifact.version,
  ].join(':');
}

/** Reads an artifact for generation (cached: treat the result as read-only). */
export function decodeArtifact(artifact: ModelArtifact): LocalModel {
  let model = decoded.get(artifact);
  if (model) return model;
  const key = contentKey(artifact);
  model = key === undefined ? undefined : recent.get(key);
  if (!model) {
    model = readArtifact(artifact);
    if (key !== undefined) {
      recent.set(key, model);
      if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
    }
  }
  decoded.set(artifact, model);
  return model;
}

/** Reads an artifact into a fresh, mutable model; a malformed one is a typed error, not a crash. */
export function readArtifact(artifact: ModelArtifact): LocalModel {
  const parsed = PayloadSchema.safeParse(artifact);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TunekitError(
      'ENGINE.ARTIFACT',
      `not a tunekit local model (version ${ARTIFACT_VERSION}): ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      { hint: 'the model file is damaged or was written by another engine version; retrain the model' },
    );
  }
  const p = parsed.data;
  const table = new EmbeddingTable(p.dim, p.seed);
  const index = fromB64(p.rows.index, Int32Array);
  const scale = fromB64(p.rows.scale, Float32Array);
  const values = fromB64(p.rows.values, Int8Array);
  const slotValues = fromB64(p.slots, Float32Array);
  if (values.length !== index.length * p.dim || slotValues.length !== p.memory.length * p.dim) {
    throw new TunekitError('ENGINE.ARTIFACT', 'model parameters do not match their declared shape', {
      hint: 'the model file is truncated or damaged; retrain the model',
    });
  }
  index.forEach((r, i) => {
    const row = new Float64Array(p.dim);
    for (let k = 0; k < p.dim; k++) row[k] = values[i * p.dim + k]! * scale[i]!;
    table.setRow(r, row);
  });
  const slots = p.memory.map((_, j) => Float64Array.from(slotValues.subarray(j * p.dim, (j + 1) * p.dim)));
  return {
    table,
    memory: p.memory.map((e) => ({ ...e, prompts: [...e.prompts] })),
    slots,
    temperature: p.temperature,
    threshold: p.threshold,
  };
}
