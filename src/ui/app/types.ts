/**
 * The JSON the API sends. Its one home is the server (src/ui/server/data.ts, which re-exports the library's
 * types); these are type-only imports, so nothing of the server reaches the browser bundle.
 */
export type {
  CaseResult,
  EvalReport,
  HistoryEvent,
  HourlyCost,
  ManualRunResult,
  MoneyReport,
  PipelineGraph,
  ProductionCost,
  RunDetail,
  RunListPage,
  RunResources,
  RunSummary,
  StateView as StateRow,
  TrainingData,
  VersionComparison,
  VersionDetail,
  VersionListing as Listing,
  VersionRow,
} from '../server/data.ts';
