export { type BedrockSender, type BillableResource, findBillableResources } from './find-billable.ts';
export {
  DEFAULT_JANITOR_MAX_AGE_MINUTES,
  type SweepEntry,
  type SweepOptions,
  type SweepReport,
  sweepBillableResources,
} from './sweep.ts';
export { TUNEKIT_PROJECT_TAG, tunekitProject } from './tags.ts';
