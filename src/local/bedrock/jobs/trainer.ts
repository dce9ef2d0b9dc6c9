import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OnStep, StepMetric, StepPlan, TrainingEngine } from '../../engine/engine.port.ts';
import type { DatasetPort } from '../context.ts';
import { type JobPayload, type JobResult, trainJob } from './train-job.ts';

/** Runs the CPU-heavy part of one job; the scheduler owns when and how many. */
export interface Trainer {
  run(payload: JobPayload, onStep: OnStep, signal: AbortSignal): Promise<JobResult>;
  /** Resolves when the trainer can start a job at once (workers loaded); never rejects. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Where a worker finds the engine: a module URL and the export that is (or makes) a TrainingEngine. */
export interface EngineModule {
  url: string;
  exportName: string;
}

/** Runs on the calling thread. For tests with a small engine double; the product trains in a worker. */
export function inProcessTrainer(engine: TrainingEngine, dataset: DatasetPort): Trainer {
  return {
    run: (payload, onStep, signal) => trainJob(engine, dataset, payload, onStep, signal),
    ready: async () => {},
    close: async () => {},
  };
}

const WORKER_ENTRY = fileURLToPath(new URL('./train-worker.mjs', import.meta.url));

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'step'; metric: StepMetric; plan?: StepPlan }
  | { type: 'done'; result: JobResult }
  | { type: 'error'; name: string; message: string };

/**
 * Trains in worker threads so the HTTP API stays responsive while gradient steps run. Workers are started
 * ahead of need and reused (starting one compiles the engine, which would otherwise compete with the API
 * right when a job is created). One job per worker at a time; Stop posts an abort honoured between steps.
 */
export function workerTrainer(engine: EngineModule, options: { warm?: number } = {}): Trainer {
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  const booting: Promise<void>[] = [];
  let closed = false;
  const spawn = () => {
    const worker = new Worker(WORKER_ENTRY, { workerData: { engine } });
    all.add(worker);
    // Loading the engine compiles a few dozen modules: CPU the API would feel if a job started meanwhile.
    booting.push(
      new Promise<void>((resolve) => {
        const done = () => {
          worker.off('message', onReady);
          // Idle workers must not keep the process alive; until ready, the boot itself is awaited work.
          worker.unref();
          resolve();
        };
        const onReady = (m: WorkerMessage) => m.type === 'ready' && done();
        worker.on('message', onReady);
        worker.once('exit', done);
      }),
    );
    worker.once('exit', () => {
      all.delete(worker);
      const i = idle.indexOf(worker);
      if (i >= 0) idle.splice(i, 1);
    });
    worker.on('error', () => {});
    return worker;
  };
  for (let i = 0; i < (options.warm ?? 1); i++) idle.push(spawn());

  return {
    run(payload, onStep, signal) {
      const worker = idle.pop() ?? spawn();
      return new Promise<JobResult>((resolve, reject) => {
        let settled = false;
        const finish = (reuse: boolean, fn: () => void) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', onAbort);
          worker.off('message', onMessage);
          worker.off('exit', onExit);
          worker.off('error', onError);
          if (reuse && !closed) idle.push(worker);
          else void worker.terminate();
          fn();
        };
        const onAbort = () => worker.postMessage({ type: 'abort' });
        const onMessage = (message: WorkerMessage) => {
          if (message.type === 'step') onStep(message.metric, message.plan);
          else if (message.type === 'done') finish(true, () => resolve(message.result));
          else if (message.type === 'error')
            finish(true, () => reject(Object.assign(new Error(message.message), { name: message.name })));
        };
        const onExit = (code: number) =>
          finish(false, () => reject(new Error(`training worker exited with code ${code} before finishing`)));
        const onError = (error: Error) => finish(false, () => reject(error));
        worker.on('message', onMessage);
        worker.once('exit', onExit);
        worker.once('error', onError);
        signal.addEventListener('abort', onAbort);
        worker.postMessage({ type: 'train', payload });
        if (signal.aborted) onAbort();
      });
    },
    async ready() {
      await Promise.all(booting);
    },
    async close() {
      closed = true;
      await Promise.all([...all].map((w) => w.terminate()));
    },
  };
}
