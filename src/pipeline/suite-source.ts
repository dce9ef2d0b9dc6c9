import { isAbsolute, resolve } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients.ts';
import type { Config } from '../config/schema.ts';
import { TunekitError } from '../errors.ts';
import { type EvalSuite, loadSuite, parseSuite } from '../evaluation/index.ts';
import { parseS3Uri } from './tasks/context.ts';

/**
 * The configured evaluation suite (`evaluation.suite`): a file relative to the config's directory locally,
 * or an `s3://` object on AWS (a Lambda has no project directory). Same checks either way (syntax with
 * its position, schema, unique ids, compilable patterns). Read by the pre-flight and by PlanEvaluation.
 */
export async function readSuite(ctx: {
  config: Config;
  clients: AwsClients;
  configDir: string;
}): Promise<EvalSuite> {
  const where = ctx.config.evaluation.suite;
  const s3 = parseS3Uri(where);
  if (!s3) return loadSuite(isAbsolute(where) ? where : resolve(ctx.configDir, where));
  let text: string;
  try {
    const object = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: s3.bucket, Key: s3.key }));
    text = await object.Body!.transformToString();
  } catch (error) {
    if ((error as Error).name !== 'NoSuchKey' && (error as Error).name !== 'NotFound') throw error;
    throw new TunekitError('EVAL.SUITE_NOT_FOUND', `evaluation suite not found: ${where}`, {
      hint: `upload the suite there (aws s3 cp eval/suite.json ${where}) or point "evaluation.suite" at it`,
    });
  }
  return parseSuite(where, text);
}
