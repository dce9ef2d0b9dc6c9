import { parentPort, workerData } from 'node:worker_threads';
import type { TrainingEngine } from '../../engine/engine.port.ts';
import type { EngineModule, WorkerMessage } from './trainer.ts';

/** The training side of workerTrainer: loads the engine, trains, streams steps back, honours abort. */
const port = parentPort!;
const { engine: engineModule } = workerData as { engine: EngineModule };
const controller = new AbortController();

async function loadEngine(): Promise<TrainingEngine> {
  const mod = (await import(engineModule.url)) as Record<string, unknown>;
  const exported = mod[engineModule.exportName];
  if (typeof exported === 'function') return (exported as () => TrainingEngine)();
  return exported as TrainingEngine;
}

const send = (message: WorkerMessage) => port.postMessage(message);

port.on('message', async (message: { type: 'train' | 'abort'; input?: unknown }) => {
  if (message.type === 'abort') {
    controller.abort();
    return;
  }
  try {
    const engine = await loadEngine();
    const output = await engine.train(
      message.input as Parameters<TrainingEngine['train']>[0],
      (metric) => send({ type: 'step', metric }),
      controller.signal,
    );
    send({ type: 'done', output });
  } catch (error) {
    const e = error as Error;
    send({ type: 'error', name: e?.name ?? 'Error', message: e?.message ?? String(error) });
  }
});
