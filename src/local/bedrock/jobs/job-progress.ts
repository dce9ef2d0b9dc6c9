import type { StepMetric, StepPlan } from '../../engine/engine.port.ts';
import { metricsCsv } from './metrics-csv.ts';

/**
 * Live progress of a local job while it trains. It logs a line now and then (what `tunekit watch`
 * and the demo show) and rewrites the step-wise metrics file at the key where Bedrock leaves it at
 * the end, so a client reading that object (`tunekit train`) sees step, epoch and loss as they come;
 * Bedrock writes the same file only when the job ends, and a client there shows the elapsed time.
 * No field is added to the API's responses.
 */
export interface ProgressSink {
  log(line: string): void;
  writeCsv(csv: string): Promise<void>;
}

export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** The file is rewritten every `everyMs`; a log line comes every `logEveryMs` (a readable `watch`). */
export function jobProgress(
  jobName: string,
  sink: ProgressSink,
  { everyMs = 1000, logEveryMs = 5000, now = () => Date.now() } = {},
) {
  const steps: StepMetric[] = [];
  const started = now();
  let last = started;
  let lastLog = started;
  let writing: Promise<void> = Promise.resolve();
  return {
    onStep(metric: StepMetric, plan?: StepPlan): void {
      steps.push(metric);
      const t = now();
      if (t - last < everyMs) return;
      last = t;
      const total = plan?.totalSteps;
      const eta = total ? ((t - started) / 1000 / metric.step) * (total - metric.step) : undefined;
      if (t - lastLog >= logEveryMs) {
        lastLog = t;
        sink.log(
          `job ${jobName} training: step ${metric.step}${total ? `/${total}` : ''}, epoch ${metric.epoch}` +
            `${plan ? `/${plan.epochs}` : ''}, loss ${metric.loss.toFixed(4)}` +
            `${metric.reward === undefined ? '' : `, reward ${metric.reward.toFixed(3)}`}` +
            `${eta === undefined ? '' : `, ETA ${formatEta(eta)}`}`,
        );
      }
      const csv = metricsCsv(steps, 'training_loss');
      // One write at a time, in order; a failed write only costs this progress snapshot.
      writing = writing.then(() => sink.writeCsv(csv)).catch(() => {});
    },
    /** Resolves when the last progress write is done (before the final file is written). */
    settled: () => writing,
  };
}
