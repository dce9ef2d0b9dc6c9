import * as datasetModule from '../dataset/index.ts';
import type { DatasetPort } from './bedrock/context.ts';
import type { EngineModule } from './bedrock/jobs/trainer.ts';
import type { TrainingEngine } from './engine/engine.port.ts';
import { createS3Service, type S3Service } from './s3/index.ts';

/**
 * The real parts the stack is made of: the S3 service (src/local/s3), the training engine
 * (src/local/engine) and the dataset module (src/dataset). Loaded lazily so that importing the stack
 * costs nothing until it starts.
 */
const engineUrl = new URL('./engine/index.ts', import.meta.url).href;

export const ENGINE_MODULE: EngineModule = { url: engineUrl, exportName: 'createEngine' };

export function loadS3Service(options: { dataDir: string; region: string }): Promise<S3Service> {
  return createS3Service(options);
}

export async function loadEngine(): Promise<TrainingEngine> {
  const mod = (await import(engineUrl)) as Record<string, unknown>;
  const exported = mod[ENGINE_MODULE.exportName];
  return typeof exported === 'function' ? (exported as () => TrainingEngine)() : (exported as TrainingEngine);
}

export async function loadDataset(): Promise<DatasetPort> {
  return datasetModule;
}
