import type { ModelVersion } from './schema.ts';

/**
 * What changed between two versions, grouped the way people compare models: lineage, hyperparameters,
 * training data, and evaluation scores (with the numeric delta b - a).
 */
export interface DiffRow {
  group: 'lineage' | 'hyperparameters' | 'data' | 'scores' | 'gate';
  field: string;
  a: string | number | boolean | undefined;
  b: string | number | boolean | undefined;
  delta?: number;
}

export interface VersionDiff {
  a: string;
  b: string;
  rows: DiffRow[];
}

type Scalar = string | number | boolean | undefined;

export function diffVersions(
  a: ModelVersion,
  b: ModelVersion,
  options: { includeSame?: boolean } = {},
): VersionDiff {
  const rows: DiffRow[] = [];
  const add = (group: DiffRow['group'], field: string, va: Scalar, vb: Scalar) => {
    if (va === vb && !options.includeSame) return;
    const row: DiffRow = { group, field, a: va, b: vb };
    if (typeof va === 'number' && typeof vb === 'number') row.delta = round(vb - va);
    rows.push(row);
  };
  add('lineage', 'baseModelId', a.baseModelId, b.baseModelId);
  add('lineage', 'baseModelFamily', a.baseModelFamily, b.baseModelFamily);
  add('lineage', 'customModelArn', a.customModelArn, b.customModelArn);
  // A distilled student against a fine-tuned one: the method and its options are lineage too.
  const ca = a.customization;
  const cb = b.customization;
  add('lineage', 'method', ca?.method ?? 'fine-tuning', cb?.method ?? 'fine-tuning');
  add('lineage', 'teacherModel', ca?.teacherModel, cb?.teacherModel);
  add('lineage', 'grader', ca?.grader, cb?.grader);
  for (const key of union(a.hyperparameters, b.hyperparameters)) {
    add('hyperparameters', key, a.hyperparameters[key], b.hyperparameters[key]);
  }
  for (const field of ['uri', 'sha256', 'records', 'format'] as const) {
    add('data', field, a.dataManifest?.[field], b.dataManifest?.[field]);
  }
  const sa = a.evaluation?.scores ?? {};
  const sb = b.evaluation?.scores ?? {};
  for (const key of union(sa, sb)) add('scores', key, sa[key], sb[key]);
  add('gate', 'passed', a.gate?.passed, b.gate?.passed);
  return { a: a.version, b: b.version, rows };
}

const union = (x: Record<string, unknown>, y: Record<string, unknown>) =>
  [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
const round = (n: number) => Math.round(n * 1e6) / 1e6;
