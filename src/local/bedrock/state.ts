import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomicAsync } from '../atomic-write.ts';
import type { ModelArtifact } from '../engine/engine.port.ts';
import { Collection } from './collection.ts';
import type {
  CustomModelRecord,
  DeploymentRecord,
  JobRecord,
  ProvisionedRecord,
  SettingsRecord,
} from './records.ts';

/**
 * Everything the local Bedrock keeps, under `<dataDir>/bedrock/`: resource records and the trained model
 * artifacts (weights live here, not in the user's bucket, as with Bedrock's managed storage).
 */
export class BedrockState {
  readonly jobs: Collection<JobRecord>;
  readonly models: Collection<CustomModelRecord>;
  readonly provisioned: Collection<ProvisionedRecord>;
  readonly deployments: Collection<DeploymentRecord>;
  /** Account-wide settings of the Region (the model invocation logging configuration). */
  readonly settings: Collection<SettingsRecord>;
  private readonly artifactDir: string;
  private readonly artifactCache = new Map<string, ModelArtifact>();

  constructor(root: string, log?: (line: string) => void) {
    this.jobs = new Collection(join(root, 'jobs'), log);
    this.models = new Collection(join(root, 'custom-models'), log);
    this.provisioned = new Collection(join(root, 'provisioned-models'), log);
    this.deployments = new Collection(join(root, 'deployments'), log);
    this.settings = new Collection(join(root, 'settings'), log);
    this.artifactDir = join(root, 'artifacts');
    mkdirSync(this.artifactDir, { recursive: true });
  }

  /** Every record write issued so far is durable. */
  async flush(): Promise<void> {
    await Promise.all([
      this.jobs.flush(),
      this.models.flush(),
      this.provisioned.flush(),
      this.deployments.flush(),
      this.settings.flush(),
    ]);
  }

  /** Weights arrive serialised from the training worker; written atomically without blocking the event loop. */
  async saveArtifactJson(modelId: string, json: string): Promise<void> {
    await writeFileAtomicAsync(join(this.artifactDir, `${modelId}.json`), json);
    this.artifactCache.delete(modelId);
  }

  async readArtifactJson(modelId: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.artifactDir, `${modelId}.json`), 'utf8');
    } catch {
      return undefined;
    }
  }

  loadArtifact(modelId: string): ModelArtifact | undefined {
    const cached = this.artifactCache.get(modelId);
    if (cached) return cached;
    try {
      const artifact = JSON.parse(
        readFileSync(join(this.artifactDir, `${modelId}.json`), 'utf8'),
      ) as ModelArtifact;
      this.artifactCache.set(modelId, artifact);
      return artifact;
    } catch {
      return undefined;
    }
  }

  deleteArtifact(modelId: string): void {
    this.artifactCache.delete(modelId);
    rmSync(join(this.artifactDir, `${modelId}.json`), { force: true });
  }
}
