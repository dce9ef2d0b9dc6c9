import { z } from 'zod';
import { METHODS } from '../models/methods.ts';
import { DatasetFormatSchema } from '../models/schema.ts';

/**
 * The data shapes the dataset toolkit hands to other areas (pipeline, local Bedrock, registry) and prints
 * with --json. zod is the source of truth; the TypeScript types come from these schemas.
 */

export type { DatasetFormat } from '../models/schema.ts';
export { DatasetFormatSchema };

export const SeveritySchema = z.enum(['error', 'warning']);
export type Severity = z.infer<typeof SeveritySchema>;

export const ValidationIssueSchema = z.object({
  severity: SeveritySchema,
  /** Stable machine-readable code, e.g. INVALID_JSON, ROLE_ORDER, RESERVED_STRING. */
  code: z.string(),
  /** The file the line is in, when one report covers several files (invocation log folders). */
  file: z.string().optional(),
  /** 1-based line number in the file; absent for file-level issues (record count, file size). */
  line: z.int().positive().optional(),
  /** JSON path inside the record (`messages[1].content[0].text`); '' for the whole line or file. */
  path: z.string(),
  message: z.string(),
  hint: z.string(),
});
export type ValidationIssue = z.infer<typeof ValidationIssueSchema>;

export const ValidationStatsSchema = z.object({
  lines: z.int(),
  records: z.int(),
  blankLines: z.int(),
  bytes: z.int(),
  characters: z.int().describe('characters of prompt/system/turn text, summed over valid records'),
  estimatedTokens: z.int().describe('characters / 6, per record, rounded up (Bedrock guidance)'),
  maxRecordCharacters: z.int(),
  duplicates: z.int().describe('records identical to an earlier record'),
  formats: z.record(z.string(), z.int()).describe('records per detected format'),
});
export type ValidationStats = z.infer<typeof ValidationStatsSchema>;

export const ValidationReportSchema = z.object({
  valid: z.boolean(),
  /** The format the chosen model needs. */
  format: DatasetFormatSchema,
  model: z.string(),
  /** The customization method checked (absent in reports from before methods: fine-tuning). */
  method: z.enum(METHODS).optional(),
  role: z.enum(['training', 'validation']),
  records: z.int(),
  /** Up to maxIssues errors, in line order. */
  errors: z.array(ValidationIssueSchema),
  warnings: z.array(ValidationIssueSchema),
  /** Totals, including issues beyond the cap. */
  errorCount: z.int(),
  warningCount: z.int(),
  /** Issues per code, over the whole file (not capped). */
  issueCounts: z.record(z.string(), z.int()),
  stats: ValidationStatsSchema,
  /** Set when the data was model invocation logs (distillation): what was read and what was left out. */
  invocationLogs: z
    .object({
      files: z.int(),
      logRecords: z.int().describe('readable log records, before the selection'),
      usePromptResponse: z.boolean(),
      teacher: z.string().optional(),
      dropped: z.object({
        filtered: z.int(),
        otherModel: z.int(),
        noResponse: z.int(),
        overLimit: z.int(),
      }),
    })
    .optional(),
});
export type ValidationReport = z.infer<typeof ValidationReportSchema>;

export const DatasetManifestSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.int(),
  records: z.int(),
  characters: z.int(),
  estimatedTokens: z.int(),
  /** The single format of every record, 'mixed' when records disagree, 'unknown' when none is recognised. */
  format: z.union([DatasetFormatSchema, z.literal('mixed'), z.literal('unknown')]),
  tokenEstimate: z.string().describe('how estimatedTokens was computed'),
});
export type DatasetManifest = z.infer<typeof DatasetManifestSchema>;

export type DatasetInput = { path: string } | { buffer: Buffer };
