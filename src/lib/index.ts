/**
 * tunekit as a library (`import { validateDataset } from 'tunekit'`): the public APIs of dataset
 * validation, evaluation and the model registry. The CDK construct is `tunekit/cdk`, kept apart so a
 * library user does not load aws-cdk-lib.
 */
export * from '../dataset/index.ts';
export * from '../evaluation/index.ts';
// Both areas define a gate decision; the registry stores what evaluation decides, so evaluation's is the one.
export { type GateDecision, GateDecisionSchema } from '../evaluation/index.ts';
export * from '../registry/index.ts';
