import type { BedrockContext } from '../context.ts';
import { nowIso } from '../context.ts';
import type { JobRecord, JobStatus } from '../records.ts';
import { JobFailure } from './job-failure.ts';
import { runJob } from './run-job.ts';
import type { Trainer } from './trainer.ts';

const ACTIVE_STATUSES: readonly JobStatus[] = ['InProgress', 'Stopping'];

/**
 * Queues and runs customization jobs off the request path. At most `trainingSlots` train at once; the rest
 * wait InProgress (Bedrock's own queueing is invisible too). Stop aborts between engine steps.
 */
export class JobScheduler {
  private readonly queue: string[] = [];
  private readonly running = new Map<string, AbortController>();
  private closed = false;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly getCtx: () => BedrockContext,
    private readonly trainer: Trainer,
  ) {}

  /** A job left InProgress by a crash or kill -9 can't be resumed mid-step: fail it with a clear message. */
  recover(): void {
    const ctx = this.getCtx();
    for (const job of ctx.state.jobs.all()) {
      if (!ACTIVE_STATUSES.includes(job.status)) continue;
      this.finish(
        job,
        job.status === 'Stopping' ? 'Stopped' : 'Failed',
        job.status === 'Stopping'
          ? undefined
          : 'The local stack stopped while this job was running (it was restarted or killed). Start the job again.',
      );
    }
  }

  activeCount(): number {
    return this.getCtx()
      .state.jobs.all()
      .filter((j) => ACTIVE_STATUSES.includes(j.status)).length;
  }

  enqueue(jobId: string): void {
    this.queue.push(jobId);
    this.pump();
  }

  stop(job: JobRecord): void {
    const ctx = this.getCtx();
    ctx.emitJobState(ctx.state.jobs.update(job.id, { status: 'Stopping', lastModifiedTime: nowIso() }));
    const controller = this.running.get(job.id);
    if (controller) controller.abort();
    else {
      const index = this.queue.indexOf(job.id);
      if (index >= 0) this.queue.splice(index, 1);
      this.finish(ctx.state.jobs.get(job.id)!, 'Stopped');
    }
  }

  /** Resolves when no job is running or queued (tests, benchmarks). */
  whenIdle(): Promise<void> {
    if (this.running.size === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.add(resolve));
  }

  /** Stops scheduling; jobs still training are failed (not left InProgress) with a clear message. */
  async close(): Promise<void> {
    this.closed = true;
    const ctx = this.getCtx();
    for (const [id, controller] of this.running) {
      controller.abort();
      const job = ctx.state.jobs.get(id);
      if (job)
        this.finish(
          job,
          'Failed',
          'The local stack was stopped while this job was running. Start the job again.',
        );
    }
    for (const id of this.queue.splice(0)) {
      const job = ctx.state.jobs.get(id);
      if (job)
        this.finish(
          job,
          'Failed',
          'The local stack was stopped before this job started. Start the job again.',
        );
    }
    this.running.clear();
    await this.trainer.close();
    await ctx.state.flush();
  }

  private pump(): void {
    const ctx = this.getCtx();
    while (!this.closed && this.running.size < ctx.options.trainingSlots && this.queue.length > 0) {
      const id = this.queue.shift()!;
      const job = ctx.state.jobs.get(id);
      if (job?.status !== 'InProgress') continue;
      const controller = new AbortController();
      this.running.set(id, controller);
      void this.execute(job, controller);
    }
    if (this.running.size === 0 && this.queue.length === 0) {
      for (const resolve of this.idle) resolve();
      this.idle.clear();
    }
  }

  private async execute(job: JobRecord, controller: AbortController): Promise<void> {
    const ctx = this.getCtx();
    const started = Date.now();
    try {
      const output = await runJob(ctx, job, this.trainer, controller.signal);
      if (this.closed && !this.running.has(job.id)) return;
      if (controller.signal.aborted) {
        this.finish(ctx.state.jobs.get(job.id)!, 'Stopped');
        return;
      }
      await ctx.state.saveArtifactJson(job.customModelId, output.artifactJson);
      const trainingMetrics = { trainingLoss: output.finalTrainingLoss };
      const validationMetrics =
        output.finalValidationLoss === undefined || job.validationDataConfig.validators.length === 0
          ? undefined
          : job.validationDataConfig.validators.map(() => ({
              validationLoss: output.finalValidationLoss as number,
            }));
      ctx.state.models.update(job.customModelId, {
        modelStatus: 'Active',
        trainingMetrics,
        validationMetrics,
      });
      const trainingStats = {
        trainedTokens: output.trainedTokens,
        tokensPerSecond: output.tokensPerSecond,
        wallMs: Date.now() - started,
        steps: output.steps,
      };
      this.finish(ctx.state.jobs.get(job.id)!, 'Completed', undefined, {
        trainingMetrics,
        validationMetrics,
        trainingStats,
      });
      ctx.log(
        `job ${job.jobName} Completed in ${((Date.now() - started) / 1000).toFixed(1)} s: loss ${output.finalTrainingLoss.toFixed(4)}, ${output.trainedTokens} tokens at ${Math.round(output.tokensPerSecond)} tokens/s`,
      );
    } catch (error) {
      if (this.closed && !this.running.has(job.id)) return;
      const current = ctx.state.jobs.get(job.id)!;
      if (controller.signal.aborted && current.status === 'Stopping') this.finish(current, 'Stopped');
      else {
        const message =
          error instanceof JobFailure
            ? error.message
            : `Internal error while training: ${(error as Error)?.message ?? String(error)}`;
        this.finish(current, 'Failed', message);
        ctx.log(`job ${job.jobName} Failed: ${message}`);
      }
    } finally {
      this.running.delete(job.id);
      this.pump();
    }
  }

  private finish(
    job: JobRecord,
    status: JobStatus,
    failureMessage?: string,
    extra: Partial<JobRecord> = {},
  ): void {
    const ctx = this.getCtx();
    const time = nowIso();
    const finished = ctx.state.jobs.put({
      ...job,
      ...extra,
      status,
      lastModifiedTime: time,
      endTime: time,
      ...(failureMessage ? { failureMessage } : {}),
    });
    ctx.emitJobState(finished);
    if (status !== 'Completed') {
      const model = ctx.state.models.get(job.customModelId);
      if (model)
        ctx.state.models.put({
          ...model,
          modelStatus: 'Failed',
          failureMessage:
            failureMessage ?? `The customization job ${job.jobName} was ${status.toLowerCase()}.`,
        });
    }
  }
}
