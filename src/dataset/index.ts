/**
 * The dataset toolkit's public API: what the pipeline, the local Bedrock job runner and the registry
 * import. Everything else under src/dataset is internal.
 */
export type { Conversation, Turn } from './conversation.ts';
export {
  type ConvertResult,
  convertDataset,
  convertInvocationLogs,
  distillationJsonl,
} from './convert.ts';
export { type CostEstimate, estimateCost } from './estimate.ts';
export {
  estimateMethodCost,
  type MethodCostEstimate,
  type MethodOptions,
} from './estimate-method.ts';
export { formatIssue } from './format-issue.ts';
export { detectFormat, FORMATS, fromConversation, toConversation } from './formats/registry.ts';
export {
  INVOCATION_LOG_LIMITS,
  type InvocationLogEntry,
  type InvocationLogSelection,
  isInvocationLog,
  isInvocationLogKey,
  matchesRequestMetadata,
  parseInvocationLog,
  type RequestMetadataFilters,
  RequestMetadataFiltersSchema,
  selectTrainingRecords,
} from './invocation-logs.ts';
export { computeManifest } from './manifest.ts';
export { parseConversations } from './parse.ts';
export {
  type DatasetFormat,
  DatasetFormatSchema,
  type DatasetInput,
  type DatasetManifest,
  DatasetManifestSchema,
  type ValidationIssue,
  ValidationIssueSchema,
  type ValidationReport,
  ValidationReportSchema,
  type ValidationStats,
  ValidationStatsSchema,
} from './schema.ts';
export { type SplitResult, splitDataset } from './split.ts';
export { computeStats, type DatasetStats } from './stats.ts';
export { CHARS_PER_TOKEN, estimateTokens, TOKEN_ESTIMATE_METHOD } from './tokens.ts';
export { type ValidateOptions, validateDataset } from './validate/validate-dataset.ts';
export {
  type LogFile,
  readInvocationLogEntries,
  validateInvocationLogs,
} from './validate-invocation-logs.ts';
