import { resolve } from 'node:path';
import * as datasetModule from '../dataset/index.ts';
import { TunekitError } from '../errors.ts';
import { createAdminHandler } from './admin.ts';
import { stackAuthenticator } from './auth/authenticate.ts';
import {
  createPrivateDir,
  dataDirWarning,
  loadOrCreateCredentials,
  type StackCredentials,
} from './auth/stack-credentials.ts';
import {
  type BedrockService,
  createBedrockService,
  type DatasetPort,
  type Trainer,
  workerTrainer,
} from './bedrock/index.ts';
import type { EngineModule } from './bedrock/jobs/trainer.ts';
import type { TrainingEngine } from './engine/engine.port.ts';
import { createLocalEngine } from './engine/index.ts';
import { createEventsService } from './events/events-service.ts';
import { type FaultConfigInput, parseFaultConfig } from './faults/fault-config.ts';
import { FaultInjector } from './faults/fault-injector.ts';
import { createIamService } from './iam/iam-service.ts';
import { createS3Service, type S3Service } from './s3/index.ts';
import { type ServiceHandler, startServer } from './server.ts';
import { createSnsService } from './sns/sns-service.ts';
import { isProcessAlive, readStateFile, removeStateFile, stackEnv, writeStateFile } from './state-file.ts';
import { createStsService } from './sts/sts-service.ts';

export type { S3Service } from './s3/index.ts';

/** The training engine the worker thread loads (the same module the stack uses in process). */
const ENGINE_MODULE: EngineModule = {
  url: new URL('./engine/index.ts', import.meta.url).href,
  exportName: 'createLocalEngine',
};

export interface LocalStackOptions {
  /** 0 = an ephemeral port (tests). */
  port?: number;
  dataDir: string;
  region?: string;
  accountId?: string;
  faults?: FaultConfigInput;
  /** Creating -> InService/Active delay of Provisioned Throughput and deployments (default 3000 ms). */
  provisioningDelayMs?: number;
  /** Account quota of concurrent customization jobs (Bedrock: 2). */
  maxConcurrentJobs?: number;
  /** Jobs that train at the same time on this machine (default 1; the rest wait InProgress). */
  trainingSlots?: number;
  maxNoCommitProvisioned?: number;
  strictLifecycle?: boolean;
  /** Stack log (job progress, warnings). Default: stderr. */
  log?: (line: string) => void;
  /**
   * Accept requests signed with any key pair, as before per-stack keys (clients that cannot sign with the
   * printed key). Off by default: only the data dir's own key pair is accepted.
   */
  insecureAnyCredentials?: boolean;
  /** The project's graders folder: RFT jobs run `...:function:NAME` from NAME.mjs/.js/.ts here (default ./graders). */
  functionsDir?: string;
  /** Grader function names registered to a file: the project's configured grader (see resolveGrader). */
  graders?: Readonly<Record<string, string>>;
  /** Write <dataDir>/stack.json for `tunekit local env|status|stop` (default true). */
  stateFile?: boolean;
  /** Replace real parts, for tests only. */
  overrides?: { s3?: S3Service; engine?: TrainingEngine; trainer?: Trainer; dataset?: DatasetPort };
}

export interface LocalStack {
  readonly endpoint: string;
  readonly port: number;
  readonly dataDir: string;
  /** `AWS_ENDPOINT_URL_*`, the stack's key pair and region for SDKs/boto3/the AWS CLI. */
  readonly env: Record<string, string>;
  /** The only key pair the stack accepts (unless started with insecureAnyCredentials). */
  readonly credentials: StackCredentials;
  readonly s3: S3Service;
  readonly bedrock: BedrockService;
  readonly faults: FaultInjector;
  registerService(name: string, handler: ServiceHandler): void;
  stop(): Promise<void>;
}

/** Two stacks on one data dir would write the same files: the second is refused, naming the first. */
function refuseSecondStack(dataDir: string): void {
  const state = readStateFile(dataDir);
  if (!state || state.pid === process.pid || !isProcessAlive(state.pid)) return;
  throw new TunekitError(
    'LOCAL.ALREADY_RUNNING',
    `a local stack is already running for ${dataDir} (pid ${state.pid}, ${state.endpoint})`,
    {
      hint: 'use it: other commands in this project find it by themselves (`tunekit run`, `tunekit runs`, ...) and `eval "$(tunekit local env)"` points other clients at it; or stop it first (Ctrl-C in its terminal, or `tunekit local stop`)',
    },
  );
}

/** EADDRINUSE as a user error that names the port and the fix. */
function portInUse(port: number, dataDir: string): TunekitError {
  return new TunekitError('LOCAL.PORT_IN_USE', `port ${port} on 127.0.0.1 is already in use`, {
    hint: `another program (or a tunekit stack of another project) listens there: start on any free port with \`--port 0\`, or another with \`--port <n>\` / "local": {"port": n} in tunekit.config.json (data dir ${dataDir}); \`lsof -i :${port}\` shows who holds it`,
  });
}

/** Starts S3 + Bedrock (+ whatever registers later, e.g. Step Functions as `states`) on one 127.0.0.1 port. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  if (options.stateFile !== false) refuseSecondStack(dataDir);
  createPrivateDir(dataDir);
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const log = options.log ?? ((line: string) => process.stderr.write(`[tunekit local] ${line}\n`));
  const openDir = dataDirWarning(dataDir);
  if (openDir) log(`warning: ${openDir}`);
  const credentials = loadOrCreateCredentials(dataDir);
  if (options.insecureAnyCredentials)
    log(
      'warning: --insecure-any-credentials: requests signed with ANY key pair are accepted; every user and process on this machine can read and change this stack',
    );
  const faults = new FaultInjector(parseFaultConfig(options.faults ?? {}, 'faults'));
  const o = options.overrides ?? {};
  const s3 = o.s3 ?? (await createS3Service({ dataDir, region }));
  const engine = o.engine ?? createLocalEngine();
  const dataset = o.dataset ?? datasetModule;
  const trainer = o.trainer ?? workerTrainer(ENGINE_MODULE, { warm: options.trainingSlots ?? 1 });
  const bedrock = createBedrockService({
    dataDir,
    options: {
      account: { region, accountId },
      maxConcurrentJobs: options.maxConcurrentJobs ?? 2,
      trainingSlots: options.trainingSlots ?? 1,
      provisioningDelayMs: options.provisioningDelayMs ?? 3000,
      strictLifecycle: options.strictLifecycle ?? false,
      maxNoCommitProvisioned: options.maxNoCommitProvisioned ?? 2,
      functionsDir: resolve(options.functionsDir ?? 'graders'),
      ...(options.graders ? { graders: options.graders } : {}),
    },
    store: s3.store,
    engine,
    trainer,
    dataset,
    faults,
    log,
  });

  // Up means able to train: wait for the training worker to load, so a first job doesn't compete with it.
  await trainer.ready();
  let services: () => string[] = () => [];
  const server = await startServer({
    port: options.port ?? 4599,
    log,
    ...(options.insecureAnyCredentials ? {} : { authenticate: stackAuthenticator(credentials) }),
    admin: createAdminHandler({
      faults,
      health: () => ({ status: 'ok', pid: process.pid, dataDir, region, services: services() }),
    }),
  }).catch(async (error: NodeJS.ErrnoException) => {
    await bedrock.close();
    await s3.close();
    throw error.code === 'EADDRINUSE' ? portInUse(options.port ?? 4599, dataDir) : error;
  });
  services = server.services;
  server.registerService('s3', (req, res) => s3.handle(req, res));
  server.registerService('bedrock', bedrock.handleControl);
  server.registerService('bedrock-runtime', bedrock.handleRuntime);
  // The subsets of STS, IAM, EventBridge and SNS that the tutorial's scripts and cleanup steps use.
  server.registerService('sts', createStsService({ accountId }));
  server.registerService('iam', createIamService({ dataDir, accountId }));
  server.registerService('events', createEventsService({ dataDir, accountId, region }));
  server.registerService('sns', createSnsService({ dataDir, accountId, region, log }));

  const writeState = () => {
    if (options.stateFile === false) return;
    writeStateFile({
      pid: process.pid,
      port: server.port,
      endpoint: server.endpoint,
      region,
      dataDir,
      startedAt: new Date().toISOString(),
      services: server.services(),
      ...credentials,
      ...(options.insecureAnyCredentials ? { insecureAnyCredentials: true } : {}),
    });
  };
  writeState();
  let stopped = false;
  return {
    endpoint: server.endpoint,
    port: server.port,
    dataDir,
    credentials,
    get env() {
      return stackEnv(server.endpoint, region, server.services(), credentials);
    },
    s3,
    bedrock,
    faults,
    registerService(name, handler) {
      server.registerService(name, handler);
      writeState();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await bedrock.close();
      await server.close();
      await s3.close();
      if (options.stateFile !== false) removeStateFile(dataDir, process.pid);
    },
  };
}
