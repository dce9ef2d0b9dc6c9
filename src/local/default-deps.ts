import * as datasetModule from '../dataset/index.ts';
import type { DatasetPort } from './bedrock/context.ts';
import type { EngineModule } from './bedrock/jobs/trainer.ts';
import type { TrainingEngine } from './engine/engine.port.ts';
import { createLocalEngine } from './engine/index.ts';
import { createS3Service, type S3Service } from './s3/index.ts';

/**
 * The real parts the stack is made of: the S3 service (src/local/s3), the training engine
 * (src/local/engine; trained in a worker thread that loads the same module) and the dataset module.
 */
export const ENGINE_MODULE: EngineModule = {
  url: new URL('./engine/index.ts', import.meta.url).href,
  exportName: 'createLocalEngine',
};

export function loadS3Service(options: { dataDir: string; region: string }): Promise<S3Service> {
  return createS3Service(options);
}

export async function loadEngine(): Promise<TrainingEngine> {
  return createLocalEngine();
}

export async function loadDataset(): Promise<DatasetPort> {
  return datasetModule;
}
