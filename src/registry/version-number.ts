import { UsageError } from '../errors.ts';
import { VERSION_PATTERN } from './schema.ts';

/**
 * Version numbers are `vMAJOR.MINOR`. The rule (documented in docs/registry.md):
 * - the first version of a model is v1.0;
 * - a new base model or a new dataset format starts a new major (v2.0): outputs are not comparable;
 * - a retrain of the same base model on the same kind of data is a minor (v1.1).
 * Callers may force `major` or `minor`. Numbers are allocated from the highest existing number (including
 * pending reservations), inside the index compare-and-swap, so two registrations never share one.
 */
export interface ParsedVersion {
  major: number;
  minor: number;
}

export function parseVersion(text: string): ParsedVersion {
  const m = VERSION_PATTERN.exec(text);
  if (!m) throw new UsageError(`"${text}" is not a version`, 'versions look like v1.0 or v2.3');
  return { major: Number(m[1]), minor: Number(m[2]) };
}

const formatVersion = (v: ParsedVersion) => `v${v.major}.${v.minor}`;

export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  return pa.major - pb.major || pa.minor - pb.minor;
}

export type Bump = 'major' | 'minor' | 'auto';

export interface NumberingInput {
  /** Existing versions with the lineage facts that decide a major bump. */
  existing: readonly { version: string; baseModelId: string; dataFormat?: string | undefined }[];
  baseModelId: string;
  dataFormat?: string | undefined;
  bump?: Bump;
}

export function nextVersion(input: NumberingInput): string {
  const sorted = [...input.existing].sort((a, b) => compareVersions(a.version, b.version));
  const latest = sorted.at(-1);
  if (!latest) return 'v1.0';
  const { major, minor } = parseVersion(latest.version);
  const bump = input.bump ?? 'auto';
  const changed =
    latest.baseModelId !== input.baseModelId ||
    (input.dataFormat !== undefined &&
      latest.dataFormat !== undefined &&
      latest.dataFormat !== input.dataFormat);
  if (bump === 'major' || (bump === 'auto' && changed)) return formatVersion({ major: major + 1, minor: 0 });
  return formatVersion({ major, minor: minor + 1 });
}
