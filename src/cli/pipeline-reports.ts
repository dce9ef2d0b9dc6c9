import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/schema.ts';
import { createS3Service } from '../local/s3/index.ts';
import { cliAwsClients, resolveAwsTarget } from './aws-target.ts';

/**
 * The pipeline's evaluation reports (`reports/<run>/evaluation-report.json` in the project's bucket, where
 * ScoreEvaluation writes them), wherever the bucket is: the running local stack, the local stack's data
 * dir when it is stopped (read in-process: `npm start` ends with the stack stopped), or AWS.
 */

export const PIPELINE_REPORT_PREFIX = 'reports/';
const REPORT_FILE = 'evaluation-report.json';
const HTML_FILE = 'evaluation-report.html';

export interface PipelineReport {
  /** The pipeline run (execution name) the report belongs to. */
  run: string;
  lastModified: Date;
  where: string;
}

export interface PipelineReportSource {
  describe: string;
  list(): Promise<PipelineReport[]>;
  read(run: string, which: 'json' | 'html'): Promise<string | undefined>;
  close(): Promise<void>;
}

const keyOf = (run: string, which: 'json' | 'html') =>
  `${PIPELINE_REPORT_PREFIX}${run}/${which === 'json' ? REPORT_FILE : HTML_FILE}`;
const runOf = (key: string) =>
  key.endsWith(`/${REPORT_FILE}`)
    ? key.slice(PIPELINE_REPORT_PREFIX.length, -REPORT_FILE.length - 1)
    : undefined;

/**
 * Picks where to read, as every command picks its target (cli/aws-target.ts): a running local stack or
 * exported endpoints, else the stopped local stack's data dir, else AWS (only when AWS credentials are
 * configured in the environment).
 */
export async function pipelineReportSource(
  config: Config,
  configDir: string,
  dataDir: string,
): Promise<PipelineReportSource | undefined> {
  const target = resolveAwsTarget(dataDir);
  // Exported endpoints count only when S3 is among them (e.g. not a Bedrock Runtime endpoint alone).
  const s3Exported = Boolean(process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL);
  if (target.kind === 'local' || (target.kind === 'env-endpoint' && s3Exported))
    return s3Source(
      cliAwsClients(config, configDir, { maxAttempts: 2 }).s3,
      config,
      target.kind === 'local' ? target.state.endpoint : target.endpoint,
    );
  if (existsSync(join(dataDir, 's3'))) {
    const service = await createS3Service({ dataDir, region: config.region });
    const bucket = config.bucket;
    return {
      describe: `the local stack's data in ${dataDir}`,
      async list() {
        if (!(await service.store.bucketExists(bucket))) return [];
        const keys = await service.store.listKeys(bucket, PIPELINE_REPORT_PREFIX);
        const out: PipelineReport[] = [];
        for (const key of keys) {
          const run = runOf(key);
          const head = run ? await service.store.headObject(bucket, key) : undefined;
          if (run && head)
            out.push({ run, lastModified: new Date(head.lastModified), where: `s3://${bucket}/${key}` });
        }
        return out;
      },
      async read(run, which) {
        return (await service.store.getObject(bucket, keyOf(run, which)))?.toString('utf8');
      },
      close: () => service.close(),
    };
  }
  const env = process.env;
  if (!env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) return undefined;
  return s3Source(cliAwsClients(config, configDir, { maxAttempts: 2 }).s3, config, `s3://${config.bucket}`);
}

function s3Source(s3: S3Client, config: Config, describe: string): PipelineReportSource {
  const bucket = config.bucket;
  return {
    describe,
    async list() {
      const out: PipelineReport[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: PIPELINE_REPORT_PREFIX,
            ContinuationToken: token,
          }),
        );
        for (const o of page.Contents ?? []) {
          const run = o.Key ? runOf(o.Key) : undefined;
          if (run)
            out.push({ run, lastModified: o.LastModified ?? new Date(0), where: `s3://${bucket}/${o.Key}` });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out;
    },
    async read(run, which) {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(run, which) }));
        return await object.Body!.transformToString();
      } catch (error) {
        if ((error as Error).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    close: async () => {},
  };
}
