import { createAwsClients } from '../../aws/clients.ts';
import { type SweepReport, sweepBillableResources } from '../../bedrock/index.ts';
import { deleteRejectedModels, type RejectedModelEntry } from '../../pipeline/rejected-models.ts';
import { configFromEnvironment } from './task-context.ts';

/**
 * Scheduled janitor: deletes this project's tagged deployments and Provisioned Throughput older than
 * TUNEKIT_JANITOR_MAX_AGE_MINUTES, and rejected candidates' custom models past the config's
 * `registry.rejectedModelRetentionDays` (TUNEKIT_CONFIG). Throws when a delete failed, so the failure shows in Lambda's error
 * metrics (and the next run retries), after logging every entry.
 */
export async function handler(): Promise<SweepReport & { rejectedModels: RejectedModelEntry[] }> {
  const maxAgeMinutes = Number(process.env.TUNEKIT_JANITOR_MAX_AGE_MINUTES);
  const project = process.env.TUNEKIT_PROJECT;
  const clients = createAwsClients();
  const report = await sweepBillableResources(clients.bedrock, {
    maxAgeMinutes,
    ...(project ? { project } : {}),
  });
  for (const entry of report.entries) {
    console.log(
      JSON.stringify({
        action: entry.action,
        kind: entry.resource.kind,
        arn: entry.resource.arn,
        ageMinutes: entry.ageMinutes,
        message: entry.message,
      }),
    );
  }
  const rejectedModels = await deleteRejectedModels({ config: configFromEnvironment(), clients });
  for (const m of rejectedModels) console.log(JSON.stringify({ kind: 'custom-model', ...m }));
  const failed = report.failed + rejectedModels.filter((m) => m.action === 'failed').length;
  if (failed > 0)
    throw new Error(`janitor: ${failed} of ${report.entries.length + rejectedModels.length} deletes failed`);
  return { ...report, rejectedModels };
}
