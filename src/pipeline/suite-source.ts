import { isAbsolute, resolve } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients.ts';
import type { Config } from '../config/schema.ts';
import { TunekitError } from '../errors.ts';
import {
  configuredSuite,
  type EvalSuite,
  loadSuite,
  type ProjectSuite,
  parseSuite,
  projectSuite,
} from '../evaluation/index.ts';
import { parseS3Uri } from './tasks/context.ts';

/**
 * The pipeline's access to the project's evaluation suite (the decision itself is
 * evaluation/suite-source.ts `projectSuite`): `evaluation.suite` (a file relative to the config's
 * directory locally, or an `s3://` object on AWS, where a Lambda has no project directory), else
 * `eval/suite.json`, else a held-out slice of the training data. Read by the pre-flight and PlanEvaluation.
 */
type SuiteContext = { config: Config; clients: AwsClients; configDir: string };

/** The configured suite file, or undefined when the run evaluates on a held-out slice of its data. */
export const suiteLocation = (ctx: Pick<SuiteContext, 'config' | 'configDir'>) =>
  configuredSuite(ctx.config.evaluation.suite, ctx.configDir);

/** The configured suite file (the pre-flight's check); same checks for a local file and an S3 object. */
export async function readSuite(ctx: SuiteContext): Promise<EvalSuite> {
  const where = suiteLocation(ctx);
  if (where === undefined)
    throw new TunekitError('EVAL.SUITE_NOT_FOUND', 'no evaluation suite is configured', {
      hint: 'set "evaluation.suite" in tunekit.config.json or add eval/suite.json',
    });
  if (!parseS3Uri(where)) return loadSuite(isAbsolute(where) ? where : resolve(ctx.configDir, where));
  return parseSuite(where, await readS3Text(ctx.clients, where));
}

/** What the run evaluates on: the configured suite, or the held-out slice of `trainingUri`'s data. */
export async function readProjectSuite(ctx: SuiteContext, trainingUri?: string): Promise<ProjectSuite> {
  return projectSuite({
    suite: ctx.config.evaluation.suite,
    configDir: ctx.configDir,
    readS3: (uri) => readS3Text(ctx.clients, uri),
    ...(trainingUri
      ? { trainingText: await readS3Text(ctx.clients, trainingUri), trainingName: trainingUri }
      : {}),
  });
}

async function readS3Text(clients: AwsClients, uri: string): Promise<string> {
  const s3 = parseS3Uri(uri);
  if (!s3) throw new TunekitError('EVAL.SUITE_NOT_FOUND', `not an s3:// URI: ${uri}`);
  try {
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: s3.bucket, Key: s3.key }));
    return await object.Body!.transformToString();
  } catch (error) {
    if ((error as Error).name !== 'NoSuchKey' && (error as Error).name !== 'NotFound') throw error;
    throw new TunekitError('EVAL.SUITE_NOT_FOUND', `not found: ${uri}`, {
      hint: `upload it there (aws s3 cp <file> ${uri}) or point "evaluation.suite" at it`,
    });
  }
}
