import {
  DeleteCustomModelDeploymentCommand,
  DeleteProvisionedModelThroughputCommand,
} from '@aws-sdk/client-bedrock';
import { type BedrockSender, type BillableResource, findBillableResources } from './find-billable.ts';

/** The deployed janitor's default minimum age (FineTunePipeline's `janitorMaxAge`, 6 hours). */
export const DEFAULT_JANITOR_MAX_AGE_MINUTES = 6 * 60;

export interface SweepOptions {
  /** Resources created longer ago than this are deleted. */
  maxAgeMinutes: number;
  /** Only this project's resources; every tunekit project when omitted. */
  project?: string;
  /** List what would be deleted without deleting. */
  dryRun?: boolean;
  /** Injected clock, so tests and callers agree on "now". */
  now?: Date;
  /** Also delete the production deployment (`tunekit cleanup --all`); the janitor never does. */
  includeProduction?: boolean;
}

export type SweepAction =
  | 'deleted'
  | 'would-delete'
  | 'kept-young'
  | 'kept-committed'
  | 'kept-production'
  | 'failed';

export interface SweepEntry {
  resource: BillableResource;
  action: SweepAction;
  ageMinutes: number;
  message?: string;
}

export interface SweepReport {
  entries: SweepEntry[];
  deleted: number;
  failed: number;
}

/**
 * Deletes tunekit-tagged deployments and Provisioned Throughput older than `maxAgeMinutes`, so a run that
 * died before its Teardown can never bill for days. The production deployment is kept unless asked. One failed delete does not stop the others: the
 * report says which failed and why, and the next scheduled sweep tries again.
 */
export async function sweepBillableResources(
  bedrock: BedrockSender,
  options: SweepOptions,
): Promise<SweepReport> {
  if (!(options.maxAgeMinutes >= 0)) {
    throw new RangeError(`maxAgeMinutes must be a number >= 0 (got ${options.maxAgeMinutes})`);
  }
  const now = options.now ?? new Date();
  const found = await findBillableResources(bedrock, options.project ? { project: options.project } : {});
  const entries: SweepEntry[] = [];
  for (const resource of found) {
    const ageMinutes = Math.floor((now.getTime() - resource.createdAt.getTime()) / 60_000);
    const entry = (action: SweepAction, message?: string): SweepEntry => ({
      resource,
      action,
      ageMinutes,
      ...(message ? { message } : {}),
    });
    if (resource.production && !options.includeProduction) {
      // It is old on purpose: applications call it. Moving or removing it is promote/rollback's job.
      entries.push(entry('kept-production', 'serves the production version'));
    } else if (ageMinutes < options.maxAgeMinutes) {
      entries.push(entry('kept-young'));
    } else if (resource.commitmentEndsAt && resource.commitmentEndsAt > now) {
      // Bedrock refuses to delete a committed PT before its term; say so instead of failing every sweep.
      entries.push(entry('kept-committed', `commitment ends ${resource.commitmentEndsAt.toISOString()}`));
    } else if (options.dryRun) {
      entries.push(entry('would-delete'));
    } else {
      try {
        await deleteResource(bedrock, resource);
        entries.push(entry('deleted'));
      } catch (error) {
        const err = error as Error;
        entries.push(entry('failed', `${err.name}: ${err.message}`));
      }
    }
  }
  return {
    entries,
    deleted: entries.filter((e) => e.action === 'deleted').length,
    failed: entries.filter((e) => e.action === 'failed').length,
  };
}

async function deleteResource(bedrock: BedrockSender, resource: BillableResource): Promise<void> {
  if (resource.kind === 'provisioned-throughput') {
    await bedrock.send(new DeleteProvisionedModelThroughputCommand({ provisionedModelId: resource.arn }));
  } else {
    await bedrock.send(
      new DeleteCustomModelDeploymentCommand({ customModelDeploymentIdentifier: resource.arn }),
    );
  }
}
