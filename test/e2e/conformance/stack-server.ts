/**
 * The local stack as `tunekit watch` runs it (S3 + Bedrock + Bedrock Runtime + Step Functions with the
 * pipeline deployed), real parts throughout, for the conformance check's Python client:
 *   npx tsx test/e2e/conformance/stack-server.ts <dataDir> [traffic.jsonl]
 * Prints one JSON line {endpoint, env, stateMachineArn, bucket, prefix, traffic} once ready; SIGTERM stops
 * it. With a traffic file, every response the stack sends is recorded there (see traffic-recorder.ts).
 * Waits and retries are test-sized so a pipeline run finishes in about a minute.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startPipelineStack } from '../../../src/cli/pipeline-stack.ts';
import { ConfigSchema } from '../../../src/config/schema.ts';
import { pollWaitOverrides } from '../../../src/pipeline/definition.ts';
import { PIPELINE_TASKS } from '../../../src/pipeline/tasks-table.ts';
import { SAMPLES } from '../../../src/samples.ts';
import { recording } from './traffic-recorder.ts';

const [dataDir, trafficFile] = process.argv.slice(2);
if (dataDir === undefined) throw new Error('usage: stack-server.ts <dataDir> [traffic.jsonl]');
// The RFT job of the check calls function:grader: the sample grader, where the stack runs graders from.
mkdirSync(join(dataDir, 'graders'), { recursive: true });
copyFileSync(SAMPLES.reinforcementGrader, join(dataDir, 'graders', 'grader.mjs'));
const config = ConfigSchema.parse({ evaluation: { suite: SAMPLES.bankingSuite, concurrency: 4 } });
const p = await startPipelineStack({
  config,
  configDir: dataDir,
  dataDir,
  port: 0,
  log: (line) => process.stderr.write(`[stack] ${line}\n`),
  waitTimeOverrides: pollWaitOverrides(200),
  retryIntervalOverrides: Object.fromEntries(PIPELINE_TASKS.map((task) => [task.state, 200])),
  trainPollMs: 200,
  provisioningDelayMs: 300,
});
if (trafficFile) {
  // Re-registering a service replaces its handler: the same handlers, recorded.
  p.stack.registerService(
    's3',
    recording('s3', (req, res) => p.stack.s3.handle(req, res), trafficFile),
  );
  p.stack.registerService('bedrock', recording('bedrock', p.stack.bedrock.handleControl, trafficFile));
  p.stack.registerService(
    'bedrock-runtime',
    recording('bedrock-runtime', p.stack.bedrock.handleRuntime, trafficFile),
  );
  p.stack.registerService('states', recording('stepfunctions', p.sfn.handle, trafficFile));
}
process.stdout.write(
  `${JSON.stringify({
    endpoint: p.stack.endpoint,
    env: p.stack.env,
    stateMachineArn: p.stateMachineArn,
    bucket: config.bucket,
    prefix: config.data.prefix,
    traffic: trafficFile,
  })}\n`,
);
const shutdown = () => void p.stop().then(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
