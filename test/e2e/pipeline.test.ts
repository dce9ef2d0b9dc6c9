import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import {
  CreateCustomModelDeploymentCommand,
  ListModelCustomizationJobsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeployment } from '../../src/bedrock/deployment.ts';
import { productionEvaluationDeploymentName } from '../../src/bedrock/names.ts';
import { renderOutcome } from '../../src/cli/commands/runs.ts';
import type { TrainingEngine } from '../../src/local/engine/engine.port.ts';
import { trainingFingerprint } from '../../src/pipeline/run-name.ts';
import { buildRunView } from '../../src/pipeline/run-view.ts';
import { registryContext } from '../../src/pipeline/tasks/registry-context.ts';
import { teardown } from '../../src/pipeline/tasks/teardown.ts';
import { listVersions, promote, readHistory, readVersion } from '../../src/registry/index.ts';
import { SAMPLES } from '../../src/samples.ts';
import { memorisingEngine } from './helpers/local-doubles.ts';
import { leftovers, nextRun, pipelineHarness, pipelineS3, upload } from './pipeline-doubles.ts';

/**
 * The pipeline end to end on the local stack: S3 trigger -> Step Functions -> task handlers -> local
 * Bedrock -> evaluation -> registry -> notification, through the real SDK clients. For speed the S3
 * service and the training engine are in-memory doubles (see pipeline-doubles.ts); the same flows on the
 * real local S3 and the real engine are in pipeline-main.slow.test.ts and pipeline-reliability.slow.test.ts.
 */

/** A gate every trained candidate passes, so promotion is certain. */
const LENIENT_GATE = {
  minInDomainImprovement: -1,
  maxOutOfDomainRegression: 1,
  maxSafetyRegression: 1,
  mustBeatProduction: false,
  maxErrorRate: 1,
};

const { start, cleanup } = pipelineHarness();
afterEach(cleanup);

describe('pipeline on the local stack', () => {
  it('trains, evaluates, registers v1.0 from an upload; a duplicate delivery starts nothing; new data registers v1.1', async () => {
    const { p, lines, config } = await start({});
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const run = await nextRun(p);
    expect(run.status, `${run.error} ${run.cause}`).toBe('SUCCEEDED');
    const out = JSON.parse(run.output!);
    expect(out.version).toBe('v1.0');
    expect(['promoted', 'registered', 'rejected']).toContain(out.outcome);
    // No production yet: the first run compares baseline and candidate only.
    expect(out.productionScores).toBeNull();
    expect(out.productionNote).toBe('no production version yet');
    expect(out.gateChecks.map((c: { name: string }) => c.name)).not.toContain('beats-production');
    expect(out.scores.overall).toBeGreaterThanOrEqual(0);
    expect(out.baselineScores.overall).toBeGreaterThanOrEqual(0);
    expect(out.reportUri).toMatch(/^s3:\/\/tunekit-local\/reports\/.+evaluation-report\.json$/);
    expect(await leftovers(p)).toEqual([]);
    expect(lines.join('\n')).toMatch(/teardown: deleted on-demand/);

    // At-least-once delivery: the same event again must not train again.
    const [first] = p.sfn.service.listExecutions(p.stateMachineArn);
    const event = JSON.parse(first!.input).detail;
    const { createS3Trigger } = await import('../../src/pipeline/triggers/s3-trigger.ts');
    const trigger = createS3Trigger({
      sfn: p.clients.sfn,
      stateMachineArn: p.stateMachineArn,
      bucket: config.bucket,
      prefix: 'training-data/',
      suffix: '.jsonl',
      fingerprint: trainingFingerprint(config),
    });
    const again = await trigger.handle({
      bucket: config.bucket,
      key: event.object.key,
      etag: event.object.etag,
      size: event.object.size,
      sequencer: event.object.sequencer,
    });
    expect(again).toMatchObject({ started: false, reason: 'duplicate' });
    expect(p.sfn.service.listExecutions(p.stateMachineArn)).toHaveLength(1);

    // v1.0 is production for the second run (whatever its own gate said), so v1.1 must be compared to it.
    const registryCtx = registryContext({ config, clients: p.clients, configDir: '.' });
    if (out.outcome !== 'promoted') await promote(registryCtx, 'v1.0', { force: true, reason: 'test' });
    const v10 = await readVersion(registryCtx, 'v1.0');

    await upload(p, config.bucket, 'training-data/train-more.jsonl', readFileSync(SAMPLES.bankingTrainMore));
    const second = await nextRun(p, 2);
    expect(second.status, `${second.error} ${second.cause}`).toBe('SUCCEEDED');
    const out2 = JSON.parse(second.output!);
    expect(out2.version).toBe('v1.1');
    // Production (v1.0's custom model) was deployed next to the candidate, asked every case, and gated on.
    expect(out2.productionNote).toMatch(/^production v1\.0 via arn:aws:bedrock:.+:custom-model-deployment\//);
    expect(out2.productionScores.overall).toBeGreaterThanOrEqual(0);
    expect(out2.dimensions.map((m: { model: string }) => m.model)).toEqual([
      'baseline',
      'candidate',
      'production',
    ]);
    // `tunekit runs show` prints production next to baseline and candidate.
    const shown = stripVTControlCharacters(renderOutcome(out2));
    expect(shown).toMatch(/SCORE\s+BASELINE\s+CANDIDATE\s+DELTA\s+PRODUCTION\s+VS PROD/);
    expect(shown).toMatch(
      /^overall\s+\d\.\d{3}\s+\d\.\d{3}\s+[+-]\d\.\d{3}\s+\d\.\d{3}\s+[+-]\d\.\d{3}\s*$/m,
    );
    expect(shown).toContain('Compared with production: production v1.0 via arn:');
    const beats = out2.gateChecks.find((c: { name: string }) => c.name === 'beats-production');
    expect(beats.reason).toMatch(/^overall score: candidate \S+ vs production \S+ \(delta/);
    if (!beats.passed) expect(out2.reasons).toContain(beats.line);
    // The table has the categories the gate compares, under the names the gate lines use.
    expect(shown).toMatch(/^category safety\s+\d\.\d{3}\s+\d\.\d{3}/m);
    expect(shown).toMatch(
      /^ {2}(pass|FAIL) safety-regression — category safety: candidate \d\.\d{3} vs baseline \d\.\d{3} \(delta [+-]\d\.\d{3}; threshold >= [+-]0\.000\)$/m,
    );
    expect(shown).toMatch(/^ {2}(pass|FAIL) beats-production — overall score: candidate/m);
    const report = JSON.parse(
      await (
        await p.clients.s3.send(
          new GetObjectCommand({ Bucket: config.bucket, Key: out2.reportUri.split(`${config.bucket}/`)[1] }),
        )
      ).Body!.transformToString(),
    );
    expect(report.models).toContainEqual({
      label: 'production',
      modelId: expect.stringMatching(/custom-model-deployment/),
    });
    expect(report.results.filter((r: { model: string }) => r.model === 'production').length).toBeGreaterThan(
      0,
    );
    const deployedProd = lines.find((l) => l.startsWith('production v1.0 deployed for evaluation'));
    expect(deployedProd, lines.join('\n')).toBeDefined();
    const prodArn = deployedProd!.split(' ').pop()!;
    expect(out2.teardown).toContainEqual({ mode: 'on-demand', arn: prodArn });
    expect(out2.teardown).toHaveLength(2);
    expect(await leftovers(p)).toEqual([]);
    expect(v10.customModelArn).toMatch(/:custom-model\//);

    const registry = await listVersions(registryCtx);
    expect(registry.versions.map((v) => v.version)).toEqual(['v1.0', 'v1.1']);
    expect(registry.versions.every((v) => typeof v.gatePassed === 'boolean')).toBe(true);
  });

  it('a run that fails while production is deployed for its evaluation tears both deployments down', async () => {
    const { p, lines, config } = await start({});
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const first = await nextRun(p);
    expect(first.status, `${first.error} ${first.cause}`).toBe('SUCCEEDED');
    const registryCtx = registryContext({ config, clients: p.clients, configDir: '.' });
    if (JSON.parse(first.output!).outcome !== 'promoted')
      await promote(registryCtx, 'v1.0', { force: true, reason: 'test' });
    // Every readiness poll now fails (after the state's retries): the Catch path goes to Teardown.
    const faults = await fetch(`${p.stack.endpoint}/_tunekit/faults`, {
      method: 'POST',
      body: JSON.stringify({ rules: [{ api: 'GetCustomModelDeployment', errorRate: 1 }] }),
    });
    expect(faults.ok).toBe(true);
    await upload(p, config.bucket, 'training-data/train-more.jsonl', readFileSync(SAMPLES.bankingTrainMore));
    const second = await nextRun(p, 2);
    expect(second.status).toBe('FAILED');
    const view = buildRunView(second.events as never);
    expect(view.find((r) => r.name === 'CheckDeployment')?.status).toBe('caught');
    expect(view.find((r) => r.name === 'Teardown')?.status).toBe('succeeded');
    const log = lines.join('\n');
    const prodArn = /production v1\.0 deployed for evaluation \(on-demand\) (\S+)/.exec(log)?.[1];
    expect(prodArn, log).toBeDefined();
    expect(log).toContain(`teardown: deleted on-demand ${prodArn}`);
    expect(await leftovers(p)).toEqual([]);

    // `tunekit runs stop` and the stack-restart cleanup call Teardown with no run state: production's
    // evaluation deployment is found by the name derived from the execution.
    const executionArn = `${p.stateMachineArn.replace(':stateMachine:', ':execution:')}:stopped-run`;
    const v10 = await readVersion(registryCtx, 'v1.0');
    const ctx = { config, clients: p.clients, configDir: '.' };
    const name = productionEvaluationDeploymentName(config.project, executionArn);
    expect(name).toMatch(/^banking-assistant-evalprod-[0-9a-f]{12}$/);
    const { arn: orphan } = await createDeployment(
      p.clients.bedrock,
      'on-demand',
      name,
      v10.customModelArn!,
      {
        project: config.project,
      },
    );
    expect(await leftovers(p)).toHaveLength(1);
    // Tagged for the janitor and `tunekit cleanup`, like the candidate's.
    const { tags } = await p.clients.bedrock.send(new ListTagsForResourceCommand({ resourceARN: orphan }));
    expect(tags).toContainEqual({ key: 'tunekit:project', value: config.project });
    expect((await teardown({ executionArn }, ctx)).deleted).toEqual([{ mode: 'on-demand', arn: orphan }]);
    expect(await leftovers(p)).toEqual([]);
  });

  it('evaluates on a no-commit Provisioned Throughput when configured, and tears it down', async () => {
    const { p, lines, config } = await start({
      config: { deployment: { mode: 'provisioned' } },
      jobEvents: true,
    });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const run = await nextRun(p);
    expect(run.status, `${run.error} ${run.cause}`).toBe('SUCCEEDED');
    // Bedrock job state changes are routed to the log, as an EventBridge rule routes them on AWS.
    expect(lines.join('\n')).toMatch(
      /Model Customization Job State Change: banking-assistant-job-[0-9a-f]{12} is Completed/,
    );
    expect(lines.join('\n')).toMatch(
      /teardown: deleted provisioned arn:aws:bedrock:[^ ]+:provisioned-model\//,
    );
    expect(await leftovers(p)).toEqual([]);
  });

  it('evaluates a Llama 3.2 base model in us-west-2, calling its baseline through the inference profile', async () => {
    // Bedrock refuses the plain Llama 3.2 id on demand (the local stack too); the baseline must be called
    // as us.meta.llama3-2-1b-instruct-v1:0, or every baseline case errors.
    const { p, config } = await start({
      config: {
        region: 'us-west-2',
        baseModel: 'meta.llama3-2-1b-instruct-v1:0:128k',
        deployment: { mode: 'provisioned' },
        hyperparameters: { epochCount: 1 },
      },
    });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const run = await nextRun(p);
    expect(run.status, `${run.error} ${run.cause}`).toBe('SUCCEEDED');
    const out = JSON.parse(run.output!);
    const report = JSON.parse(
      await (
        await p.clients.s3.send(
          new GetObjectCommand({ Bucket: config.bucket, Key: out.reportUri.split(`${config.bucket}/`)[1] }),
        )
      ).Body!.transformToString(),
    );
    const baseline = report.results.filter((r: { model: string }) => r.model === 'baseline');
    expect(baseline.length).toBeGreaterThan(0);
    expect(baseline.filter((r: { error?: string }) => r.error)).toEqual([]);
    expect(await leftovers(p)).toEqual([]);
  });

  it('a third upload while two jobs train waits for a free job slot and then trains (Bedrock allows 2 at once)', async () => {
    const { p, lines, config } = await start({
      engine: memorisingEngine({ stepDelayMs: 20 }),
      // StartFineTuningJob's quota retry: 40 attempts of 250 ms locally (30 s .. 10 min on AWS).
      retryIntervals: { StartFineTuningJob: 250 },
    });
    const records = readFileSync(SAMPLES.bankingTrain, 'utf8').split('\n').filter(Boolean);
    for (const n of [1, 2, 3])
      await upload(p, config.bucket, `training-data/train-${n}.jsonl`, records.slice(n, n + 12).join('\n'));
    let runs = p.sfn.service.listExecutions(p.stateMachineArn);
    for (let i = 0; runs.length < 3 && i < 200; i++) {
      await new Promise((r) => setTimeout(r, 25));
      runs = p.sfn.service.listExecutions(p.stateMachineArn);
    }
    const done = await Promise.all(runs.map((r) => p.sfn.service.waitForExecution(r.executionArn)));
    expect(done.map((r) => `${r.status} ${r.error ?? ''}`)).toEqual(Array(3).fill('SUCCEEDED '));
    expect(lines.join('\n')).toMatch(/at Bedrock's quota; waiting for a free slot/);
    const jobs = await p.clients.bedrock.send(new ListModelCustomizationJobsCommand({}));
    expect(jobs.modelCustomizationJobSummaries?.map((j) => j.status)).toEqual(Array(3).fill('Completed'));
  }, 60_000);

  it('starts a run for an upload whose event was journaled while no trigger was listening', async () => {
    const s3 = pipelineS3();
    // The object landed and its event was journaled, but the stack died before the trigger acted.
    await s3.store.putObject(
      'tunekit-local',
      'training-data/train.jsonl',
      readFileSync(SAMPLES.bankingTrain),
    );
    const { p, lines } = await start({ s3 });
    const run = await nextRun(p);
    expect(JSON.parse(run.input).detail.object.key).toBe('training-data/train.jsonl');
    expect(lines.join('\n')).toMatch(/started 1 run\(s\) for uploads the previous stack did not act on/);
    expect(run.status, `${run.error} ${run.cause}`).toBe('SUCCEEDED');
  });

  it('ignores keys outside the prefix/suffix', async () => {
    const { p, config } = await start({});
    await upload(p, config.bucket, 'other/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    await upload(p, config.bucket, 'training-data/notes.txt', 'hello');
    await new Promise((r) => setTimeout(r, 200));
    expect(p.sfn.service.listExecutions(p.stateMachineArn)).toEqual([]);
  });

  it('an invalid upload notifies with line numbers, ends TrainingDataInvalid, and trains nothing', async () => {
    const { p, lines, config } = await start({});
    const good = readFileSync(SAMPLES.bankingTrain, 'utf8').split('\n').filter(Boolean);
    const bad = [
      good[0],
      '{"schemaVersion": "bedrock-conversation-2024", "messages": [',
      good[1],
      '{"messages": []}',
      ...good.slice(2),
    ].join('\n');
    await upload(p, config.bucket, 'training-data/broken.jsonl', bad);
    const run = await nextRun(p);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('TrainingDataInvalid');
    const notification = lines.join('\n');
    expect(notification).toMatch(/broken\.jsonl:2\b/);
    expect(notification).toMatch(/broken\.jsonl:4\b/);
    const jobs = await p.clients.bedrock.send(new ListModelCustomizationJobsCommand({}));
    expect(jobs.modelCustomizationJobSummaries ?? []).toEqual([]);
  });

  it('a failed training job ends FAILED with the job failure as cause, notified, nothing left running', async () => {
    const engine = memorisingEngine();
    const failing: TrainingEngine = {
      ...engine,
      train: async () => {
        throw new Error('GPU on fire');
      },
    };
    const { p, lines, config } = await start({ engine: failing });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const run = await nextRun(p);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('Bedrock.ModelCustomizationJobFailed');
    expect(run.cause).toMatch(/GPU on fire/);
    const view = buildRunView(run.events as never);
    expect(view.find((r) => r.name === 'StartFineTuningJob')).toMatchObject({
      status: 'caught',
      error: 'Bedrock.ModelCustomizationJobFailed',
    });
    expect(view.find((r) => r.name === 'Teardown')?.status).toBe('succeeded');
    expect(view.at(-1)).toMatchObject({ name: 'PipelineFailed' });
    expect(lines.join('\n')).toMatch(/StartFineTuningJob/);
    expect(await leftovers(p)).toEqual([]);
  });

  it('a deployment that never becomes ready fails the run after the bounded wait and is torn down', async () => {
    const { p, config } = await start({
      provisioningDelayMs: 10 * 60_000,
      config: { deployment: { readyTimeoutMinutes: 1.5 } }, // 3 polls of READY_POLL_SECONDS
    });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const run = await nextRun(p);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('DeploymentNotReady');
    expect(run.cause).toMatch(/still Creating after 1.5 minutes \(3 checks\)/);
    expect(await leftovers(p)).toEqual([]);
  });

  it('with a production deployment configured, Promote points it at each promoted version before the alias moves', async () => {
    const { p, lines, config } = await start({
      config: { gate: LENIENT_GATE, deployment: { production: { enabled: true } } },
    });
    const registryCtx = registryContext({ config, clients: p.clients, configDir: '.' });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const run = await nextRun(p);
    expect(run.status, `${run.error} ${run.cause}`).toBe('SUCCEEDED');
    expect(JSON.parse(run.output!)).toMatchObject({ outcome: 'promoted', version: 'v1.0' });
    // Teardown removed the evaluation deployment only; the production one stays and serves v1.0's model.
    const [prod] = await leftovers(p);
    expect(await leftovers(p)).toHaveLength(1);
    expect(prod).toMatchObject({
      customModelDeploymentName: 'banking-assistant-production',
      status: 'Active',
    });
    const v10 = await readVersion(registryCtx, 'v1.0');
    expect((prod as { modelArn?: string }).modelArn).toBe(v10.customModelArn);
    const arn = (prod as { customModelDeploymentArn: string }).customModelDeploymentArn;
    const { tags } = await p.clients.bedrock.send(new ListTagsForResourceCommand({ resourceARN: arn }));
    expect(tags).toContainEqual({ key: 'tunekit:role', value: 'production' });
    // The Wait loop ran: Promote answered pending while Bedrock created the deployment.
    const view = buildRunView(run.events as never);
    expect(view.filter((r) => r.name === 'Promote').length).toBeGreaterThan(1);
    expect(lines.join('\n')).toMatch(/production deployment banking-assistant-production: Creating/);

    await upload(p, config.bucket, 'training-data/train-more.jsonl', readFileSync(SAMPLES.bankingTrainMore));
    const second = await nextRun(p, 2);
    expect(second.status, `${second.error} ${second.cause}`).toBe('SUCCEEDED');
    const out2 = JSON.parse(second.output!);
    expect(out2).toMatchObject({ outcome: 'promoted', version: 'v1.1' });
    // Production was asked through the production deployment itself: no second deployment of v1.0 was paid
    // for, and Teardown deleted only the candidate's.
    expect(out2.productionNote).toBe(`production v1.0 via its production deployment ${arn}`);
    expect(out2.productionScores.overall).toBeGreaterThanOrEqual(0);
    expect(out2.teardown).toHaveLength(1);
    expect(out2.teardown[0].arn).not.toBe(arn);
    const v11 = await readVersion(registryCtx, 'v1.1');
    const after = await leftovers(p);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ customModelDeploymentArn: arn, modelArn: v11.customModelArn });
    const history = await readHistory(registryCtx);
    expect(history.filter((e) => e.action === 'promote').map((e) => [e.version, e.deploymentArn])).toEqual([
      ['v1.0', arn],
      ['v1.1', arn],
    ]);
  });

  it('a production deployment that cannot be moved fails the run at Promote: registered, not promoted, nothing taken over', async () => {
    const s3 = pipelineS3();
    const a = await start({ s3, config: { gate: LENIENT_GATE } });
    await upload(a.p, a.config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    expect((await nextRun(a.p)).status).toBe('SUCCEEDED');
    const registryCtx = registryContext({ config: a.config, clients: a.p.clients, configDir: '.' });
    const v10 = await readVersion(registryCtx, 'v1.0');
    // Someone else's deployment holds the name the config now gives the production deployment.
    await a.p.clients.bedrock.send(
      new CreateCustomModelDeploymentCommand({
        modelDeploymentName: 'not-ours',
        modelArn: v10.customModelArn!,
      }),
    );
    await a.p.stop();

    const b = await start({
      s3,
      dataDir: a.dataDir,
      config: { gate: LENIENT_GATE, deployment: { production: { enabled: true, name: 'not-ours' } } },
    });
    await upload(
      b.p,
      b.config.bucket,
      'training-data/train-more.jsonl',
      readFileSync(SAMPLES.bankingTrainMore),
    );
    const run = await nextRun(b.p, 2);
    expect(run.status).toBe('FAILED');
    expect(run.cause).toMatch(/not-ours.*was not created by tunekit/);
    const view = buildRunView(run.events as never);
    expect(view.find((r) => r.name === 'Promote')).toMatchObject({ status: 'caught' });
    expect(view.find((r) => r.name === 'Teardown')?.status).toBe('succeeded');
    const listing = await listVersions(
      registryContext({ config: b.config, clients: b.p.clients, configDir: '.' }),
    );
    expect(listing.versions.map((v) => v.version)).toEqual(['v1.0', 'v1.1']);
    expect(listing.aliases.production).toBe('v1.0');
    // The foreign deployment is untouched: same model, not deleted by Teardown.
    const left = await leftovers(b.p);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ customModelDeploymentName: 'not-ours', modelArn: v10.customModelArn });
  });
});

describe('pipeline with validation data', () => {
  it("puts the job's validation loss in the report next to the training loss", async () => {
    const { p, config } = await start({
      config: { training: { validationData: SAMPLES.tutorialConversation } },
    });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const run = await nextRun(p);
    expect(run.status, `${run.error} ${run.cause}`).toBe('SUCCEEDED');
    const out = JSON.parse(run.output!);
    const report = JSON.parse(
      await (
        await p.clients.s3.send(
          new GetObjectCommand({ Bucket: config.bucket, Key: out.reportUri.split(`${config.bucket}/`)[1] }),
        )
      ).Body!.transformToString(),
    );
    expect(report.trainingLoss.length).toBeGreaterThan(0);
    expect(report.validationLoss.length).toBeGreaterThan(0);
    expect(report.validationLoss.every((p: { loss: number }) => Number.isFinite(p.loss))).toBe(true);
  });
});
