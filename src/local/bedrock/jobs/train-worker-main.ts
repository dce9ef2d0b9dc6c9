import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import * as dataset from '../../../dataset/index.ts';
import type { TrainingEngine } from '../../engine/engine.port.ts';
import type { JobPayload } from './train-job.ts';
import { trainJob } from './train-job.ts';
import type { EngineModule, WorkerMessage } from './trainer.ts';

/** The worker side of workerTrainer: loads the engine once, then runs jobs one at a time. */
const port = parentPort!;

// Training is background work: lower this thread's priority so the API thread wins the CPU when cores are
// short. (On Linux, setpriority on pid 0 applies to the calling thread only, so the API keeps its priority.)
try {
  setPriority(10);
} catch {
  // not permitted on this platform: train at normal priority
}
const { engine: engineModule } = workerData as { engine: EngineModule };
let controller = new AbortController();
const send = (message: WorkerMessage) => port.postMessage(message);

const enginePromise: Promise<TrainingEngine> = import(engineModule.url).then(
  (mod: Record<string, unknown>) => {
    const exported = mod[engineModule.exportName];
    return typeof exported === 'function'
      ? (exported as () => TrainingEngine)()
      : (exported as TrainingEngine);
  },
);
// Announce readiness once loaded (or failed: the first job then reports the error).
enginePromise.then(
  () => send({ type: 'ready' }),
  () => send({ type: 'ready' }),
);

port.on('message', async (message: { type: 'train' | 'abort'; payload?: JobPayload }) => {
  if (message.type === 'abort') {
    controller.abort();
    return;
  }
  controller = new AbortController();
  try {
    const engine = await enginePromise;
    const result = await trainJob(
      engine,
      dataset,
      message.payload!,
      (metric, plan) => send({ type: 'step', metric, plan }),
      controller.signal,
    );
    send({ type: 'done', result });
  } catch (error) {
    const e = error as Error;
    send({ type: 'error', name: e?.name ?? 'Error', message: e?.message ?? String(error) });
  }
});
