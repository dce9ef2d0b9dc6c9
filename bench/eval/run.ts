/**
 * `npm run bench:eval`: the evaluation runner against the local stack with injected faults.
 * Target: 200 cases x 2 models, 200 ms latency per call and 20% throttling, finish within 1.3x of the
 * ideal time (cases x models x latency / concurrency), with no case lost.
 *
 * Flags: --cases N (200) --concurrency N (16) --latency MS (200) --throttle RATE (0.2) --seed N
 *        --sdk-retry (let the SDK's adaptive retry do the retrying instead of the runner, for comparison)
 *        --retry-base MS (the runner's first backoff; default DEFAULT_RETRY's)
 *        --endpoint URL (use a stack that is already running, e.g. `tunekit local start` with the real
 *        engine and TUNEKIT_FAULTS; the latency/throttle flags then only label the figures)
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAwsClients } from '../../src/aws/clients.ts';
import { converseText } from '../../src/evaluation/converse.ts';
import { Limiter } from '../../src/evaluation/limiter.ts';
import { DEFAULT_RETRY, withRetries } from '../../src/evaluation/retry.ts';
import { runEvaluation } from '../../src/evaluation/runner.ts';
import type { EvalSuite } from '../../src/evaluation/suite.schema.ts';
import { loadSuite } from '../../src/evaluation/suite.ts';
import { SAMPLES } from '../../src/samples.ts';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '16' },
    latency: { type: 'string', default: '200' },
    throttle: { type: 'string', default: '0.2' },
    seed: { type: 'string', default: '42' },
    'sdk-retry': { type: 'boolean', default: false },
    endpoint: { type: 'string' },
    'retry-base': { type: 'string' },
  },
});
const cases = Number(values.cases);
const concurrency = Number(values.concurrency);
const latencyMs = Number(values.latency);
const throttleRate = Number(values.throttle);
const models = [
  { label: 'baseline', modelId: 'amazon.nova-micro-v1:0' },
  { label: 'candidate', modelId: 'meta.llama3-2-1b-instruct-v1:0' },
];

// The banking suite's cases, cycled up to the requested count (ids made unique).
const banking = loadSuite(SAMPLES.bankingSuite);
const suite: EvalSuite = {
  ...banking,
  cases: Array.from({ length: cases }, (_, i) => {
    const c = banking.cases[i % banking.cases.length]!;
    return { ...c, id: `${c.id}-${i}` };
  }),
};
const stackProcess = values.endpoint
  ? undefined
  : spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./stack-process.ts', import.meta.url)),
        JSON.stringify({ seed: Number(values.seed), rules: [{ api: 'Converse', latencyMs, throttleRate }] }),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
// The bench's own stack prints its endpoint and key pair; a stack given with --endpoint signs with the
// environment's credentials (`eval "$(tunekit local env)"`).
const started = values.endpoint
  ? undefined
  : await new Promise<{ endpoint: string; accessKeyId: string; secretAccessKey: string }>(
      (resolve, reject) => {
        let out = '';
        stackProcess!.stdout!.on('data', (d) => {
          out += d;
          const m = /READY (\S+) (\S+) (\S+)\n/.exec(out);
          if (m) resolve({ endpoint: m[1]!, accessKeyId: m[2]!, secretAccessKey: m[3]! });
        });
        stackProcess!.on('exit', (code) => reject(new Error(`stack process exited with ${code}`)));
      },
    );
const endpoint = values.endpoint ?? started!.endpoint;
const credentials = started
  ? { credentials: { accessKeyId: started.accessKeyId, secretAccessKey: started.secretAccessKey } }
  : {};
const clients = values['sdk-retry']
  ? createAwsClients({
      region: 'us-east-1',
      maxAttempts: 8,
      endpoints: { bedrockRuntime: endpoint },
      ...credentials,
    })
  : createAwsClients({
      region: 'us-east-1',
      maxAttempts: 1,
      retryMode: 'standard',
      endpoints: { bedrockRuntime: endpoint },
      ...credentials,
    });
// The first call of a process loads the SDK's lazy parts (credentials, endpoint rules, HTTP agent): a
// fixed cost, printed apart so the ratio measures the runner's steady state.
const warm0 = performance.now();
await withRetries(() =>
  converseText(clients.bedrockRuntime, {
    modelId: models[0]!.modelId,
    prompt: 'warm-up',
    maxTokens: 5,
    timeoutMs: 10_000,
  }),
);
const warmUpMs = performance.now() - warm0;
const limiter = new Limiter(concurrency);
let lastPrint = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
try {
  const run = await runEvaluation({
    suite,
    models,
    clients,
    concurrency,
    maxTokens: 300,
    limiter,
    ...(values['sdk-retry'] ? { retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } } : {}),
    ...(values['retry-base']
      ? { retry: { ...DEFAULT_RETRY, baseDelayMs: Number(values['retry-base']) } }
      : {}),
    onProgress: ({ done, total }) => {
      if (done === total || performance.now() - lastPrint > 1000) {
        lastPrint = performance.now();
        process.stderr.write(`  ${done}/${total} after ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      }
    },
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const total = cases * models.length;
  const idealMs = (total * latencyMs) / concurrency;
  const ok = run.results.filter((r) => r.status === 'ok').length;
  const attempts = run.results.reduce((n, r) => n + r.attempts, 0);
  const figures = {
    cases,
    models: models.length,
    calls: total,
    concurrency,
    latencyMs,
    throttleRate,
    retryBy: values['sdk-retry']
      ? 'sdk (adaptive, maxAttempts 8)'
      : `runner (full jitter, base ${values['retry-base'] ?? DEFAULT_RETRY.baseDelayMs} ms)`,
    warmUpCallMs: Math.round(warmUpMs),
    wallSeconds: +(wallMs / 1000).toFixed(2),
    idealSeconds: +(idealMs / 1000).toFixed(2),
    ratioToIdeal: +(wallMs / idealMs).toFixed(3),
    attempts,
    // CPU the runner's process (SDK + scoring) spent per attempt; the stack runs in another process.
    runnerCpuMsPerAttempt: +((cpu.user + cpu.system) / 1000 / attempts).toFixed(2),
    loadAverage1m: +loadavg()[0]!.toFixed(2),
    answered: ok,
    errored: run.results.length - ok,
    lost: total - run.results.length,
    peakInFlight: limiter.peak,
    target: 'ratioToIdeal <= 1.3, lost = 0, errored = 0',
    met: wallMs / idealMs <= 1.3 && run.results.length === total && ok === total,
  };
  console.log(JSON.stringify(figures, null, 2));
} finally {
  clients.bedrockRuntime.destroy();
  if (stackProcess) {
    // Closing stdin stops the stack; kill it if it has not exited within 5 s.
    const exited = new Promise<void>((resolve) => stackProcess.once('exit', () => resolve()));
    stackProcess.stdin!.end();
    const timer = setTimeout(() => stackProcess.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
