import type { StepMetric } from '../../engine/engine.port.ts';

/**
 * Bedrock's metric files (model-customization-analyze): step_wise_training_metrics.csv has
 * `step_number,epoch_number,training_loss,perplexity`; validation_metrics.csv the same with validation_loss.
 */
export function metricsCsv(steps: StepMetric[], lossColumn: 'training_loss' | 'validation_loss'): string {
  // A reinforcement fine-tuning job's steps carry a reward: a reward_mean column follows (UNCONFIRMED on AWS).
  const rewarded = steps.some((s) => s.reward !== undefined);
  const rows = steps.map(
    (s) => `${s.step},${s.epoch},${s.loss},${s.perplexity}${rewarded ? `,${s.reward ?? ''}` : ''}`,
  );
  return `step_number,epoch_number,${lossColumn},perplexity${rewarded ? ',reward_mean' : ''}\n${rows.join('\n')}${rows.length ? '\n' : ''}`;
}
