import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateCustomModelDeploymentCommand,
  CreateProvisionedModelThroughputCommand,
  DeleteCustomModelDeploymentCommand,
  DeleteProvisionedModelThroughputCommand,
  ListCustomModelsCommand,
  ListProvisionedModelThroughputsCommand,
} from '@aws-sdk/client-bedrock';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TUNEKIT_PROJECT_TAG } from '../../src/bedrock/tags.ts';
import type { PipelineStack } from '../../src/cli/pipeline-stack.ts';
import { pipelineDefinition } from '../../src/pipeline/definition.ts';
import { SAMPLES } from '../../src/samples.ts';
import { REPO_ROOT, runCli, tempDir } from './helpers/cli.ts';
import { memorisingEngine } from './helpers/local-doubles.ts';
import { nextRun, pipelineHarness, upload } from './pipeline-doubles.ts';

/**
 * `tunekit ui` in Debian's Chromium (apt-get install chromium; never a downloaded browser), after one
 * pipeline run of the banking data on the local stack: the run list, the run, its evaluation, the
 * failed-cases filter, a promotion with a reason that shows up in the history, and a request without
 * the token refused. Screenshots of the pages go to docs/ui/.
 */

const CHROMIUM = process.env.TUNEKIT_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(REPO_ROOT, 'docs/ui');

/**
 * The banking data with the first `count` answers replaced by an unhelpful one: the candidate learns
 * them, so the evaluation has cases where it does worse than the baseline (for the failed-cases filter).
 */
function withUnhelpfulAnswers(path: string, count: number): string {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      if (i >= count) return line;
      const record = JSON.parse(line) as { messages: { role: string; content: { text: string }[] }[] };
      for (const m of record.messages) if (m.role === 'assistant') m.content = [{ text: 'I do not know.' }];
      return JSON.stringify(record);
    })
    .join('\n');
}

const { start, cleanup } = pipelineHarness();
let runName = '';
let stackEnv: NodeJS.ProcessEnv = {};
let stack: PipelineStack;
let bucket = '';
let project = '';
let url = '';
let ui: ChildProcess | undefined;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // autoPromote off: the run registers v1.0 without promoting it, so the page has a promotion to make.
  // Training steps take 30 ms each (a run trains for ~10 s), so the stop test finds a run in progress.
  const { p, config } = await start({
    config: { registry: { autoPromote: false } },
    engine: memorisingEngine({ stepDelayMs: 30 }),
  });
  stack = p;
  bucket = config.bucket;
  project = config.project;
  await upload(p, config.bucket, 'training-data/train.jsonl', withUnhelpfulAnswers(SAMPLES.bankingTrain, 2));
  runName = (await nextRun(p)).name;
  // A second run on the clean data (records in reverse order, so its content differs from the stop test's
  // upload): v1.1, which answers the two poisoned cases better, to compare with v1.0 on the same suite.
  const reversed = readFileSync(SAMPLES.bankingTrain, 'utf8').trim().split('\n').reverse().join('\n');
  await upload(p, config.bucket, 'training-data/train-b.jsonl', reversed);
  await nextRun(p, 2);
  // The user's shell after `eval "$(tunekit local env)"`, in a project with the default config.
  stackEnv = { ...p.stack.env, AWS_ENDPOINT_URL_SFN: p.stack.endpoint };
  ui = spawn(process.execPath, [join(REPO_ROOT, 'bin/tunekit.mjs'), 'ui', '--port', '0'], {
    cwd: tempDir(),
    env: { ...process.env, ...stackEnv, TUNEKIT_ACTOR: 'e2e-tester' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  ui.stderr?.on('data', (d) => (stderr += d));
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    ui!.stdout?.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/);
      if (m) resolve(m[0]);
    });
    ui!.on('exit', (code) => reject(new Error(`tunekit ui exited ${code}: ${stderr}`)));
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  mkdirSync(SHOTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  ui?.kill('SIGTERM');
  await cleanup();
});

// Long pages (the evaluation's cases) are shot at the window's height, to keep the PNGs small.
const shot = (name: string, fullPage = true) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });

describe('tunekit ui in Chromium (slow: a pipeline run, a CLI process and a browser)', () => {
  it('explains itself in --help', async () => {
    const help = await runCli(['ui', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--read-only/);
    expect(help.stdout).toMatch(/token/);
    expect(help.stdout).toMatch(/tunekit ui --open/);
  });

  it('shows the latest runs and the registry on the home page', async () => {
    await page.goto(url);
    expect(page.url()).not.toContain('token='); // traded for the cookie
    await page.getByRole('heading', { name: 'Latest runs' }).waitFor();
    await page.getByRole('link', { name: runName }).waitFor();
    expect(await page.getByRole('link', { name: runName }).count()).toBe(1);
    const runRow = page.locator('tr', { has: page.getByRole('link', { name: runName }) });
    await expect.poll(() => runRow.textContent()).toMatch(/SUCCEEDED.*registered v1\.0/);
    await expect.poll(() => page.locator('tr[data-version="v1.0"]').count()).toBe(1);
    await shot('overview');
  });

  it('opens the run list, a run with its states and loss curve, and its evaluation', async () => {
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    await page.getByRole('link', { name: runName }).click();
    const states = page.locator('table', { has: page.getByText('States of the pipeline') });
    await states.waitFor();
    for (const state of [
      'ValidateTrainingData',
      'StartFineTuningJob',
      'Evaluate',
      'RegisterModel',
      'Teardown',
    ])
      expect(await states.getByRole('rowheader', { name: state }).count(), state).toBe(1);
    expect(await states.textContent()).toMatch(/32\/32 cases/);
    const loss = page.locator('figure.chart [role=img]');
    await loss.waitFor();
    expect(await loss.getAttribute('aria-label')).toMatch(
      /^Training loss over \d+ steps: from [\d.]+ at step/,
    );
    expect(await page.locator('.uplot canvas').count()).toBeGreaterThan(0);

    // The state machine drawn from the deployed definition: a node per state, coloured by this run.
    const machine = page.locator('svg.pipeline');
    await machine.waitFor();
    expect(await machine.locator('title').first().textContent()).toMatch(/state machine/);
    expect(await machine.locator('desc').textContent()).toMatch(
      /^\d+ states and \d+ transitions; this run \(SUCCEEDED\)/,
    );
    const nodes = machine.locator('g.node');
    // A node per top-level state of the definition the stack deployed; the Evaluate map is one.
    expect(await nodes.count()).toBe(Object.keys(pipelineDefinition().States as object).length);
    const node = (state: string) => machine.locator(`g.node[data-state="${state}"]`);
    for (const state of [
      'InitRun',
      'ValidateTrainingData',
      'StartFineTuningJob',
      'Evaluate',
      'Gate',
      'Teardown',
      'NotifyResult',
      'Done',
    ])
      expect(await node(state).getAttribute('data-status'), state).toBe('succeeded');
    for (const state of [
      'NotifyFailure',
      'PipelineFailed',
      'TrainingDataInvalid',
      'DeploymentFailed',
      'Promote',
    ])
      expect(await node(state).getAttribute('data-status'), state).toBe('not reached');
    // Focusable, with a label a screen reader speaks.
    const job = node('StartFineTuningJob');
    expect(await job.getAttribute('tabindex')).toBe('0');
    expect(await job.getAttribute('aria-label')).toMatch(
      /^StartFineTuningJob: succeeded, took \d+(ms|s|m \d+s)$/,
    );
    expect(await node('NotifyFailure').getAttribute('aria-label')).toBe('NotifyFailure: not reached');
    await job.focus();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-state'))).toBe(
      'StartFineTuningJob',
    );
    // The path the run took: the edges it followed are marked, the ones it did not are not.
    const edge = (from: string, to: string) =>
      machine.locator(`path.edge[data-from="${from}"][data-to="${to}"]`);
    expect(await edge('CheckValidation', 'StartFineTuningJob').getAttribute('class')).toMatch(/\btaken\b/);
    expect(await edge('Gate', 'Teardown').getAttribute('class')).toMatch(/\btaken\b/);
    expect(await edge('RouteOutcome', 'NotifyFailure').getAttribute('class')).not.toMatch(/\btaken\b/);
    expect(await edge('StartFineTuningJob', 'Teardown').getAttribute('class')).toMatch(/\bcatch\b/);

    // What the run created, and what its Teardown deleted.
    const created = page.locator('[data-section="created"]');
    expect(await created.textContent()).toMatch(/Custom model .*arn:aws:bedrock:[^ ]+:custom-model\//);
    expect(await created.textContent()).toMatch(/Evaluation deployment \((on-demand|provisioned)\)/);
    const tornDown = page.locator('[data-section="torn-down"]');
    expect(await tornDown.locator('li').count()).toBeGreaterThan(0);
    expect(await tornDown.textContent()).toMatch(/Deleted (on-demand|provisioned) arn:aws:bedrock:/);
    // Each evaluation deployment created is the one torn down.
    const deployedArn = await created.locator('li[data-arn]').first().getAttribute('data-arn');
    expect(await tornDown.textContent()).toContain(deployedArn);
    expect(await created.locator('li[data-arn] .status').first().textContent()).toBe('deleted');
    await shot('run');

    // At phone width the drawing scrolls sideways inside the page, which itself does not.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload(); // the loss chart sizes itself when drawn
    await machine.waitFor();
    await page.locator('.uplot canvas').waitFor();
    const scroll = await page
      .locator('.machine')
      .evaluate((el) => ({ client: el.clientWidth, scroll: el.scrollWidth }));
    expect(scroll.scroll).toBeGreaterThan(scroll.client);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await machine.scrollIntoViewIfNeeded();
    await shot('run-machine-phone', false);
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('link', { name: 'Evaluation' }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    expect(await page.getByRole('img', { name: /Scores per dimension/ }).count()).toBe(1);
    expect(await page.getByRole('img', { name: /Scores per category/ }).getAttribute('aria-label')).toMatch(
      /in-domain: baseline [\d.]+, candidate [\d.]+/,
    );
    const gate = page.locator('section[aria-labelledby="gate-h"]');
    expect(await gate.getByRole('heading').textContent()).toMatch(/^Gate (passed|rejected)$/);
    expect(await gate.locator('tbody tr').count()).toBeGreaterThan(0);
    const count = page.locator('.count');
    expect(await count.textContent()).toBe('32 of 32 cases');
    // Answers side by side: one per model in every case.
    expect(await page.locator('li.case').first().locator('.answer').count()).toBeGreaterThanOrEqual(2);
    await shot('evaluation', false);
  });

  it('filters to failed (errored or regressed) cases', async () => {
    const all = await page.locator('li.case').count();
    const failedBefore = await page.locator('li.case.failed').count();
    await page.getByLabel('Failed or regressed only').check();
    const text = (await page.locator('.count').textContent()) ?? '';
    const shown = Number(text.split(' ')[0]);
    expect(shown).toBe(failedBefore);
    expect(await page.locator('li.case').count()).toBe(shown);
    expect(await page.locator('li.case:not(.failed)').count()).toBe(0);
    expect(shown).toBeLessThanOrEqual(all);
    // The training data taught the candidate two unhelpful answers: those cases regressed.
    expect(shown).toBeGreaterThanOrEqual(1);
    expect(shown).toBeLessThan(all);
    expect(await page.locator('li.case.failed h3').allTextContents()).toContainEqual(
      expect.stringMatching(/^seen-dispute-transaction.*regressed/),
    );
    await page.locator('.filters').scrollIntoViewIfNeeded();
    await shot('evaluation-failed-cases', false);
    // The same page at a phone's width: the answers stack instead of sitting side by side.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('li.case.failed').first().scrollIntoViewIfNeeded();
    await shot('evaluation-failed-phone', false);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByLabel('Failed or regressed only').uncheck();
    expect(await page.locator('.count').textContent()).toBe('32 of 32 cases');
  });

  it('promotes v1.0 with a reason after a confirmation, and the history shows who and why', async () => {
    await page.getByRole('link', { name: 'Registry', exact: true }).click();
    const row = page.locator('tr[data-version="v1.0"]');
    await row.waitFor();
    expect(await row.locator('.alias').count()).toBe(0);
    await row.getByRole('button', { name: 'Promote v1.0…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Promote v1.0' });
    expect(await dialog.textContent()).toMatch(/production: \(none\) → v1\.0/);
    // No production deployment in this project: the confirmation says nothing starts or stops billing.
    await dialog.getByText(/No production deployment is configured/).waitFor();
    expect(await dialog.locator('.cost-change').textContent()).toMatch(
      /only the aliases move; nothing starts or stops billing/,
    );
    const confirm = dialog.getByRole('button', { name: 'Confirm promote' });
    expect(await confirm.isDisabled()).toBe(true); // no reason yet
    await dialog.getByLabel('Reason (recorded in the history)').fill('reviewed the side-by-side answers');
    await shot('promote-confirm');
    await confirm.click();
    await page.getByRole('status').filter({ hasText: 'production is now v1.0' }).waitFor();
    await expect.poll(() => row.locator('.alias').allTextContents()).toEqual(['production']);
    const history = page.locator('table.history');
    await expect
      .poll(() => history.locator('tbody tr').first().textContent())
      .toMatch(/e2e-tester.*promote v1\.0.*reviewed the side-by-side answers/);
    await shot('registry');
    // The CLI reads the same registry: the promotion is there too, with its reason.
    const cli = await runCli(['registry', 'history', '--json'], { cwd: tempDir(), env: stackEnv });
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout).at(-1)).toMatchObject({
      action: 'promote',
      version: 'v1.0',
      actor: 'e2e-tester',
      reason: 'reviewed the side-by-side answers',
    });
  });

  it("opens a version's page from the registry: lineage, hyperparameters, scores, gate and its run", async () => {
    await page.getByRole('link', { name: 'Registry', exact: true }).click();
    await page.locator('tr[data-version="v1.0"]').getByRole('link', { name: 'v1.0' }).click();
    await page.getByRole('heading', { name: 'Version v1.0' }).waitFor();
    const lineage = page.locator('table.lineage');
    await lineage.waitFor();
    const field = (name: string) =>
      lineage.locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) }).locator('td');
    expect(await field('Base model').textContent()).toMatch(/^amazon\.nova-micro-v1:0/);
    expect(await field('Customization job').textContent()).toMatch(
      /^arn:aws:bedrock:.*:model-customization-job\//,
    );
    expect(await field('Custom model').textContent()).toMatch(/^arn:aws:bedrock:.*:custom-model\//);
    expect(await field('Training data').textContent()).toBe(`s3://${bucket}/training-data/train.jsonl`);
    expect(Number(await field('Records').textContent())).toBeGreaterThan(0);
    expect(await field('Data sha256').textContent()).toMatch(/^[0-9a-f]{64}$/);
    const hyper = page.locator('table', { has: page.getByText('Hyperparameters of the job') });
    expect(await hyper.getByRole('rowheader', { name: 'epochCount' }).count()).toBe(1);
    const scores = page.locator('table', { has: page.getByText('Scores of v1.0 and the baseline') });
    expect(await scores.locator('tr[data-key="overall"]').textContent()).toMatch(/^overall0\.\d{3}0\.\d{3}$/);
    expect(await page.locator('main').textContent()).toMatch(/production.*gate (pass|fail)/);
    await shot('version');
    await page.getByRole('link', { name: `Run ${runName}` }).click();
    await page.locator('table', { has: page.getByText('States of the pipeline') }).waitFor();
  });

  it('compares v1.0 with v1.1 on the same suite: scores side by side, both answers per case, filters', async () => {
    await page.getByRole('link', { name: 'Registry', exact: true }).click();
    const picker = page.getByRole('form', { name: 'Compare two versions' });
    await picker.waitFor();
    expect(await picker.getByRole('combobox', { name: 'Compare' }).inputValue()).toBe('v1.0');
    expect(await picker.getByRole('combobox', { name: 'with' }).inputValue()).toBe('v1.1');
    await picker.getByRole('button', { name: 'Compare' }).click();
    await page.getByRole('heading', { name: 'Compare v1.0 and v1.1' }).waitFor();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    expect(page.url()).toMatch(/#\/compare\/v1\.0\/v1\.1$/);
    expect(await page.locator('.suite-note').textContent()).toMatch(
      /^Both evaluated on suite .+ \(32 cases\): v1\.1 did better on [1-9]\d* and worse on \d+\.$/,
    );
    const dims = page.locator('table', { has: page.getByText('Scores per dimension') });
    expect(await dims.locator('thead').textContent()).toMatch(/v1\.0.*v1\.1.*Δ \(v1\.1 − v1\.0\)/);
    expect(await dims.locator('tr[data-key="overall"]').textContent()).toMatch(
      /^overall0\.\d{3}0\.\d{3}[+-]\d\.\d{3}$/,
    );
    const cats = page.locator('table', { has: page.getByText('Scores per category', { exact: true }) });
    expect(await cats.locator('tr[data-key="in-domain"]').count()).toBe(1);
    expect(await page.getByRole('img', { name: /Scores per category/ }).getAttribute('aria-label')).toMatch(
      /in-domain: v1\.0 [\d.]+, v1\.1 [\d.]+/,
    );
    expect(await page.locator('.count').textContent()).toBe('32 of 32 cases');
    // Both versions' answers in every case.
    expect(await page.locator('li.case').first().locator('.answer h4').allTextContents()).toEqual([
      expect.stringMatching(/^v1\.0 /),
      expect.stringMatching(/^v1\.1 /),
    ]);
    // Biggest regressions first: the deltas shown never go down.
    await page.getByRole('combobox', { name: 'Order' }).selectOption('regression');
    const deltas = (await page.locator('li.case h3').allTextContents()).map((t) =>
      Number(t.match(/Δ ([+-][\d.]+)/)?.[1] ?? 'NaN'),
    );
    expect(deltas.filter(Number.isNaN)).toEqual([]);
    expect(deltas).toEqual([...deltas].sort((x, y) => x - y));
    await page.getByRole('combobox', { name: 'Category' }).selectOption('safety');
    const safety = Number(((await page.locator('.count').textContent()) ?? '').split(' ')[0]);
    expect(safety).toBeGreaterThan(0);
    expect(safety).toBeLessThan(32);
    expect(await page.locator('li.case h3 .muted:first-child').allTextContents()).toEqual(
      Array(safety).fill('safety'),
    );
    await page.getByRole('combobox', { name: 'Category' }).selectOption('');
    await page.getByRole('searchbox', { name: 'Search' }).fill('dispute');
    const found = await page.locator('li.case').allTextContents();
    expect(found.length).toBeGreaterThan(0);
    for (const text of found) expect(text.toLowerCase()).toContain('dispute');
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.getByLabel('Failed or regressed only').check();
    const failed = Number(((await page.locator('.count').textContent()) ?? '').split(' ')[0]);
    expect(await page.locator('li.case:not(.failed)').count()).toBe(0);
    expect(await page.locator('li.case').count()).toBe(Math.min(failed, 50));
    await page.getByLabel('Failed or regressed only').uncheck();
    // The case v1.0 was taught to answer badly: v1.1 answers it better, side by side.
    await page.getByRole('searchbox', { name: 'Search' }).fill('seen-dispute-transaction');
    expect(await page.locator('li.case h3').first().textContent()).toMatch(/Δ \+0\.\d{3}/);
    expect(await page.locator('li.case .answer pre').first().textContent()).toBe('I do not know.');
    await page.locator('#cases-h').evaluate((h) => h.scrollIntoView());
    await shot('compare-cases', false);
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.getByRole('combobox', { name: 'Order' }).selectOption('suite');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('compare', false);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });
    // The CLI compares through the same library function: the same cases and the same overall delta.
    const overallDelta = (await dims.locator('tr[data-key="overall"] td').last().textContent()) ?? '';
    const cli = await runCli(['registry', 'compare', 'v1.0', 'v1.1', '--json'], {
      cwd: tempDir(),
      env: stackEnv,
    });
    expect(cli.code, cli.stderr).toBe(0);
    const json = JSON.parse(cli.stdout);
    expect(json.suite.same).toBe(true);
    expect(json.cases).toHaveLength(32);
    const overall = json.dimensions.find((r: { key: string }) => r.key === 'overall');
    expect(`${overall.delta >= 0 ? '+' : ''}${overall.delta.toFixed(3)}`).toBe(overallDelta);
    const text = await runCli(['registry', 'compare', 'v1.0', 'v1.1'], { cwd: tempDir(), env: stackEnv });
    expect(text.stdout).toMatch(/^Both evaluated on suite "[^"]+" \(32 cases\): v1\.1 better on [1-9]/);
    expect(text.stdout).toMatch(/Biggest regressions first/);
    // A version that does not exist: the library's message and fix, not a blank page.
    await page.goto(`${new URL(url).origin}/#/compare/v1.0/v9.9`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/version v9\.9 does not exist.*Fix: /);
  });

  it('shows what bills by the hour now, its sourced cost (or unknown), and what the janitor would delete', async () => {
    const bedrock = stack.clients.bedrock;
    const models = await bedrock.send(new ListCustomModelsCommand({}));
    const modelArn = models.modelSummaries?.[0]?.modelArn ?? '';
    expect(modelArn).not.toBe('');
    const tags = [{ key: TUNEKIT_PROJECT_TAG, value: project }];
    // What a user left behind: an on-demand deployment and a Provisioned Throughput of a custom model.
    const deployment = await bedrock.send(
      new CreateCustomModelDeploymentCommand({ modelDeploymentName: 'left-behind', modelArn, tags }),
    );
    const pt = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: 'forgotten-pt',
        modelId: modelArn,
        modelUnits: 1,
        tags,
      }),
    );
    try {
      await page.getByRole('link', { name: 'Money', exact: true }).click();
      await page.getByRole('heading', { name: 'Money' }).waitFor();
      const table = page.locator('table.money');
      await table.waitFor();
      const od = table.locator('tr[data-name="left-behind"]');
      const prov = table.locator('tr[data-name="forgotten-pt"]');
      expect(await od.textContent()).toMatch(
        /custom model deployment \(on-demand\).*\$0\.00\/h no hourly charge: billed per input and output token/,
      );
      expect(await od.getByRole('link', { name: 'source' }).getAttribute('href')).toBe(
        'https://docs.aws.amazon.com/bedrock/latest/userguide/deploy-custom-model-on-demand.html',
      );
      // Nova Micro's Provisioned Throughput rate has no source in the catalog: unknown, never guessed.
      expect(await prov.textContent()).toMatch(
        /Provisioned Throughput, 1 unit\(s\).*unknown 1 model unit\(s\) × unknown/,
      );
      expect(await prov.getByRole('link', { name: 'check the price' }).getAttribute('href')).toBe(
        'https://aws.amazon.com/bedrock/pricing/',
      );
      expect(await page.locator('.money-total').textContent()).toMatch(
        /^2 deployed or provisioned now: \$0\.00\/h \+ 1 unknown/,
      );
      // Created a moment ago: the janitor's default age (6 h) keeps both; at 0 minutes it deletes both.
      expect(await od.locator('td').last().textContent()).toBe('keeps (younger than the age)');
      await page.getByLabel('Janitor minimum age (minutes)').fill('0');
      await page.getByRole('button', { name: 'Check' }).click();
      await expect.poll(() => prov.locator('td').last().textContent()).toBe('would delete');
      expect(await od.locator('td').last().textContent()).toBe('would delete');
      expect(await page.locator('.janitor-summary').textContent()).toMatch(
        /^At a minimum age of 0 minutes the janitor would delete 2 of 2, stopping \$0\.00\/h of known cost\./,
      );
      await shot('money');
      // At a phone's width the page reflows: nothing wider than the screen but the table's own scroller.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shot('money-phone', false);
      await page.setViewportSize({ width: 1280, height: 900 });
      // A dry run: nothing was deleted.
      const left = await bedrock.send(new ListProvisionedModelThroughputsCommand({}));
      expect(left.provisionedModelSummaries?.map((p) => p.provisionedModelName)).toContain('forgotten-pt');
    } finally {
      await bedrock.send(
        new DeleteProvisionedModelThroughputCommand({ provisionedModelId: pt.provisionedModelArn }),
      );
      await bedrock.send(
        new DeleteCustomModelDeploymentCommand({
          customModelDeploymentIdentifier: deployment.customModelDeploymentArn,
        }),
      );
    }
  });

  it('stops a run in progress with a cause; the run shows ABORTED and its cause', async () => {
    // The full banking set again under another key: a new run that trains for ~10 s.
    await upload(stack, bucket, 'training-data/train-again.jsonl', readFileSync(SAMPLES.bankingTrain));
    let name = '';
    await expect
      .poll(() => {
        const runs = stack.sfn.service.listExecutions(stack.stateMachineArn);
        name = runs.find((r) => r.status === 'RUNNING')?.name ?? '';
        return name;
      })
      .not.toBe('');
    await page.goto(`${new URL(url).origin}/#/runs/${name}`);
    // The drawing shows the state the run is in as running, and what comes after it as not reached.
    const machine = page.locator('svg.pipeline');
    await expect.poll(() => machine.locator('g.node[data-status="running"]').count()).toBe(1);
    expect(await machine.locator('g.node[data-state="Teardown"]').getAttribute('data-status')).toBe(
      'not reached',
    );
    await page.getByRole('button', { name: 'Stop this run…' }).click();
    const dialog = page.getByRole('dialog', { name: `Stop ${name}` });
    await dialog.getByLabel('Cause (recorded with the run)').fill('uploaded the wrong file');
    await shot('stop-confirm');
    await dialog.getByRole('button', { name: 'Confirm stop' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^stopped;/ })
      .waitFor();
    await expect.poll(() => page.locator('main .status').first().textContent()).toBe('ABORTED');
    // The outcome stays on the page once the run reloads as ABORTED (it used to vanish with the form).
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: /^stopped;/ })
        .textContent(),
    ).toMatch(/^stopped; (nothing to tear down|deleted )/);
    expect(await page.getByRole('alert').textContent()).toMatch(
      /ABORTED StoppedByUser.*uploaded the wrong file/,
    );
    // The state it was in when stopped is drawn failed, with its time; a stopped run never reaches Teardown.
    await expect.poll(() => machine.locator('g.node[data-status="running"]').count()).toBe(0);
    const stoppedIn = machine.locator('g.node[data-status="failed"]');
    expect(await stoppedIn.count()).toBe(1);
    expect(await stoppedIn.getAttribute('aria-label')).toMatch(/^\w+: failed, took \d+(ms|s)/);
    expect(await machine.locator('g.node[data-state="Teardown"]').getAttribute('data-status')).toBe(
      'not reached',
    );
    expect(await page.locator('[data-section="torn-down"]').textContent()).toMatch(/Teardown did not run/);
  });

  it('starts a run on training data picked from the bucket, as tunekit run does (and --force retrains)', async () => {
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.getByRole('button', { name: 'Start a run…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start a run' });
    const select = dialog.getByLabel(/^Training data/);
    await select.waitFor();
    const options = await select.locator('option').allTextContents();
    // Every upload of this test under training-data/, newest first, with its size and time.
    expect(options.map((o) => o.split(' · ')[0])).toEqual([
      'train-again.jsonl',
      'train-b.jsonl',
      'train.jsonl',
    ]);
    expect(options[2]).toMatch(/^train\.jsonl · [\d.]+ KB · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    await select.selectOption('training-data/train.jsonl');
    await shot('start-run');
    await dialog.getByRole('button', { name: 'Confirm start' }).click();
    // Already trained with the same settings: nothing starts, and the page names the run that trained it.
    const status = page.getByRole('status');
    await expect
      .poll(() => status.textContent())
      .toMatch(
        new RegExp(
          `^Nothing started: s3://${bucket}/training-data/train\\.jsonl: identical data already trained in run ${runName}`,
        ),
      );
    await page.getByRole('button', { name: 'Start a run…' }).click();
    await dialog.getByLabel(/^Training data/).selectOption('training-data/train.jsonl');
    await dialog.getByLabel('Retrain even if this data was already trained').check();
    await dialog.getByRole('button', { name: 'Confirm start' }).click();
    await expect
      .poll(() => status.textContent())
      .toMatch(/^Started \S+-force-\S+ on s3:\/\/.*\/training-data\/train\.jsonl\.$/);
    const started = (await status.getByRole('link').textContent()) ?? '';
    await page.locator('tr', { has: page.getByRole('link', { name: started }) }).waitFor();
    expect(stack.sfn.service.listExecutions(stack.stateMachineArn).map((e) => e.name)).toContain(started);
    // Stop it again, so the stack is quiet for what follows.
    await page.getByRole('link', { name: started }).first().click();
    await page.getByRole('button', { name: 'Stop this run…' }).click();
    await page.getByLabel('Cause (recorded with the run)').fill('only testing the start button');
    await page.getByRole('button', { name: 'Confirm stop' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^stopped;/ })
      .waitFor();
  });

  it('pages through 1,000 runs from the server (ListExecutions nextToken) and records how long a page takes', async () => {
    // A state machine of one Pass state, with 1,000 finished executions whose input is an upload event.
    const service = stack.sfn.service;
    const arn = service.putStateMachine('ui-scale', {
      StartAt: 'Done',
      States: { Done: { Type: 'Pass', End: true } },
    });
    for (let i = 0; i < 1000; i++) {
      const detail = { bucket: { name: bucket }, object: { key: `training-data/batch-${i}.jsonl` } };
      service.startExecution({
        stateMachineArn: arn,
        name: `s3-batch-${String(i).padStart(4, '0')}`,
        input: JSON.stringify({ detail }),
      });
    }
    await expect
      .poll(() => service.listExecutions(arn).filter((e) => e.status !== 'SUCCEEDED').length)
      .toBe(0);
    const scaleUi = spawn(process.execPath, [join(REPO_ROOT, 'bin/tunekit.mjs'), 'ui', '--port', '0'], {
      cwd: tempDir(),
      env: { ...process.env, ...stackEnv, TUNEKIT_STATE_MACHINE_ARN: arn },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const scaleUrl = await new Promise<string>((resolve, reject) => {
        let out = '';
        scaleUi.stdout?.on('data', (d) => {
          out += d;
          const m = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/);
          if (m) resolve(m[0]);
        });
        scaleUi.on('exit', (code) => reject(new Error(`tunekit ui exited ${code}`)));
      });
      const scale = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await scale.goto(scaleUrl); // trade the token for the cookie
      const started = Date.now();
      await scale.goto(`${new URL(scaleUrl).origin}/#/runs`);
      const rows = scale.locator('table tbody tr');
      await expect
        .poll(async () => ((await rows.count()) === 50 ? 50 : await scale.locator('main').textContent()), {
          timeout: 20_000,
        })
        .toBe(50);
      const firstPageMs = Date.now() - started;
      expect(await rows.first().textContent()).toMatch(
        /s3-batch-0999SUCCEEDED.*s3s3:\/\/.*\/training-data\/batch-999\.jsonl/,
      );
      const pager = scale.getByRole('navigation', { name: 'Run pages' });
      expect(await pager.textContent()).toMatch(/page 1 · runs 1–50Older/);
      const t2 = Date.now();
      await pager.getByRole('button', { name: 'Older' }).click();
      await expect.poll(() => rows.first().textContent()).toMatch(/^s3-batch-0949/);
      const nextPageMs = Date.now() - t2;
      await expect.poll(() => pager.textContent()).toMatch(/page 2 · runs 51–100Older/);
      expect(await rows.count()).toBe(50);
      await pager.getByRole('button', { name: 'Newer' }).click();
      await expect.poll(() => rows.first().textContent()).toMatch(/^s3-batch-0999/);
      await expect.poll(() => pager.textContent()).toMatch(/page 1 · runs 1–50Older/);
      // The figure docs/ui.md records (the quality bar: a page under a second on the demo's data).
      console.log(
        `ui scale: 1000 executions, first run page ${firstPageMs} ms (incl. app load), next page ${nextPageMs} ms`,
      );
      expect(firstPageMs).toBeLessThan(5_000);
      await scale.close();
    } finally {
      scaleUi.kill('SIGTERM');
    }
  });

  it('--read-only hides every action: no start, stop, promote or rollback buttons', async () => {
    const ro = spawn(
      process.execPath,
      [join(REPO_ROOT, 'bin/tunekit.mjs'), 'ui', '--port', '0', '--read-only'],
      {
        cwd: tempDir(),
        env: { ...process.env, ...stackEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const roUrl = await new Promise<string>((resolve, reject) => {
        let out = '';
        ro.stdout?.on('data', (d) => {
          out += d;
          const m = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/);
          if (m) resolve(m[0]);
        });
        ro.on('exit', (code) => reject(new Error(`tunekit ui --read-only exited ${code}`)));
      });
      const p = await browser.newPage();
      await p.goto(roUrl);
      await p.goto(`${new URL(roUrl).origin}/#/runs`);
      await p.getByRole('link', { name: runName, exact: true }).waitFor();
      expect(await p.getByRole('button', { name: 'Start a run…' }).count()).toBe(0);
      await p.goto(`${new URL(roUrl).origin}/#/registry`);
      await p.locator('tr[data-version="v1.1"]').waitFor();
      expect(await p.getByRole('button', { name: /^Promote|^Roll back/ }).count()).toBe(0);
      expect(await p.getByText('Read-only dashboard').count()).toBe(1);
      // Compare, a read, still works.
      expect(await p.getByRole('button', { name: 'Compare' }).count()).toBe(1);
      await p.close();
    } finally {
      ro.kill('SIGTERM');
    }
  });

  it('refuses a browser that has no token', async () => {
    const stranger = await browser.newPage();
    const response = await stranger.goto(new URL(url).origin);
    expect(response?.status()).toBe(403);
    expect(await stranger.getByRole('heading', { name: 'Token required' }).count()).toBe(1);
    const api = await stranger.goto(`${new URL(url).origin}/api/registry`);
    expect(api?.status()).toBe(403);
    await stranger.close();
  });
});
