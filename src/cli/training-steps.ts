import type { StepProgress } from '../ops/training-progress.ts';
import { formatDuration } from '../pipeline/run-view.ts';

/** `step 12  epoch 2/4  loss 0.4231  ETA 8s`: how `tunekit train` and `tunekit runs watch` show training. */
export const formatSteps = (s: StepProgress): string =>
  `step ${s.step}  epoch ${s.epoch}${s.epochs ? `/${s.epochs}` : ''}  loss ${s.loss.toFixed(4)}  ETA ${
    s.etaSeconds === undefined ? 'after the first epoch' : formatDuration(s.etaSeconds * 1000)
  }`;
