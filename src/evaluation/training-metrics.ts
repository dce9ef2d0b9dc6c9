import { z } from 'zod';
import { TunekitError } from '../errors.ts';

/**
 * Bedrock's `step_wise_training_metrics.csv` (columns step_number, epoch_number, training_loss,
 * perplexity; the validation file has validation_loss instead). Parsed by header name, so column order
 * and extra columns do not matter.
 */
export const LossPointSchema = z.object({
  step: z.number(),
  epoch: z.number().nullable(),
  loss: z.number(),
  /** reinforcement fine-tuning: the mean grader reward of the step's samples (column reward_mean) */
  reward: z.number().optional(),
});
export type LossPoint = z.infer<typeof LossPointSchema>;

export function parseTrainingMetricsCsv(text: string, source = 'training metrics'): LossPoint[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const step = col('step_number');
  const epoch = col('epoch_number');
  const loss = col('training_loss') >= 0 ? col('training_loss') : col('validation_loss');
  const reward = col('reward_mean');
  if (step < 0 || loss < 0) {
    throw new TunekitError(
      'EVAL.TRAINING_METRICS',
      `${source}:1: expected columns step_number and training_loss (or validation_loss), got "${lines[0] ?? ''}"`,
      {
        hint: "pass the job's step_wise_training_metrics.csv (under training_artifacts/ in the job's output)",
      },
    );
  }
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const point: LossPoint = {
      step: Number(cells[step]),
      epoch: epoch >= 0 ? Number(cells[epoch]) : null,
      loss: Number(cells[loss]),
      ...(reward >= 0 ? { reward: Number(cells[reward]) } : {}),
    };
    if (
      !Number.isFinite(point.step) ||
      !Number.isFinite(point.loss) ||
      (point.reward !== undefined && !Number.isFinite(point.reward)) ||
      (point.epoch !== null && !Number.isFinite(point.epoch))
    ) {
      throw new TunekitError('EVAL.TRAINING_METRICS', `${source}:${i + 2}: not a number in "${line}"`, {
        hint: 'the file looks damaged; download it again from the job output',
      });
    }
    return point;
  });
}
