import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StepMetric, TrainInput, TrainingEngine, TrainOutput } from '../../engine/engine.port.ts';

/** Runs one training; the scheduler owns when and how many. */
export interface Trainer {
  train(input: TrainInput, onStep: (metric: StepMetric) => void, signal: AbortSignal): Promise<TrainOutput>;
}

/** Where a worker finds the engine: a module URL and the export that is (or makes) a TrainingEngine. */
export interface EngineModule {
  url: string;
  exportName: string;
}

/** Trains on the calling thread. For tests with a small engine double; the product trains in a worker. */
export function inProcessTrainer(engine: TrainingEngine): Trainer {
  return { train: (input, onStep, signal) => engine.train(input, onStep, signal) };
}

const WORKER_ENTRY = fileURLToPath(new URL('./train-worker.mjs', import.meta.url));

/**
 * Trains in a worker thread so the HTTP API stays responsive while gradient steps run (training is CPU-bound
 * and would otherwise block the event loop). One worker per job; Stop posts an abort the engine honours
 * between steps.
 */
export function workerTrainer(engine: EngineModule): Trainer {
  return {
    train(input, onStep, signal) {
      return new Promise<TrainOutput>((resolve, reject) => {
        const worker = new Worker(WORKER_ENTRY, { workerData: { engine } });
        let settled = false;
        const finish = (fn: () => void) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', onAbort);
          fn();
          void worker.terminate();
        };
        const onAbort = () => worker.postMessage({ type: 'abort' });
        signal.addEventListener('abort', onAbort);
        worker.on('message', (message: WorkerMessage) => {
          if (message.type === 'step') onStep(message.metric);
          else if (message.type === 'done') finish(() => resolve(message.output));
          else if (message.type === 'error')
            finish(() => reject(Object.assign(new Error(message.message), { name: message.name })));
        });
        worker.on('error', (error) => finish(() => reject(error)));
        worker.on('exit', (code) =>
          finish(() => reject(new Error(`training worker exited with code ${code} before finishing`))),
        );
        worker.postMessage({ type: 'train', input });
        if (signal.aborted) onAbort();
      });
    },
  };
}

export type WorkerMessage =
  | { type: 'step'; metric: StepMetric }
  | { type: 'done'; output: TrainOutput }
  | { type: 'error'; name: string; message: string };
