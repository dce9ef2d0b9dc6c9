import { createAwsClients } from '../../aws/clients.ts';
import { type SweepReport, sweepBillableResources } from '../../bedrock/index.ts';

/**
 * Scheduled janitor: deletes this project's tagged deployments and Provisioned Throughput older than
 * TUNEKIT_JANITOR_MAX_AGE_MINUTES. Throws when a delete failed, so the failure shows in Lambda's error
 * metrics (and the next run retries), after logging every entry.
 */
export async function handler(): Promise<SweepReport> {
  const maxAgeMinutes = Number(process.env.TUNEKIT_JANITOR_MAX_AGE_MINUTES);
  const project = process.env.TUNEKIT_PROJECT;
  const report = await sweepBillableResources(createAwsClients().bedrock, {
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
  if (report.failed > 0)
    throw new Error(`janitor: ${report.failed} of ${report.entries.length} deletes failed`);
  return report;
}
