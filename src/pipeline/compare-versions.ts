import type { S3Client } from '@aws-sdk/client-s3';
import { TunekitError } from '../errors.ts';
import { compareReports, type ReportComparison } from '../evaluation/index.ts';
import { type ModelVersion, type RegistryContext, readIndex, readRef } from '../registry/index.ts';
import { readReportAt } from './report-source.ts';

/**
 * Two registry versions compared on their evaluations: each version's answers are the `candidate` of the
 * report its run wrote (the version record's `evaluation.reportUri`). `a` and `b` are versions or aliases.
 */
export interface VersionComparison extends ReportComparison {
  versions: { a: ModelVersion; b: ModelVersion };
}

export async function compareRegistryVersions(
  ctx: RegistryContext,
  s3: S3Client,
  a: string,
  b: string,
): Promise<VersionComparison> {
  const { index } = await readIndex(ctx);
  const [va, vb] = await Promise.all([readRef(ctx, index, a), readRef(ctx, index, b)]);
  const reportOf = (v: ModelVersion) => {
    const uri = v.evaluation?.reportUri;
    if (!uri)
      throw new TunekitError('REGISTRY.NO_REPORT', `${v.version} has no evaluation report to compare`, {
        hint: `it was registered without one (tunekit registry show ${v.version}); compare versions the pipeline registered`,
      });
    return readReportAt(s3, uri);
  };
  const [ra, rb] = await Promise.all([reportOf(va), reportOf(vb)]);
  return {
    ...compareReports({ name: va.version, report: ra }, { name: vb.version, report: rb }),
    versions: { a: va, b: vb },
  };
}
