import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, runCli } from './cli.ts';

/** Helpers for tests that run the local stack (and moto_server) as real processes. */

export const execFileAsync = promisify(execFile);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * `tunekit local start --detach` on a free port (in `cwd`, the project whose graders it serves); returns the
 * env `tunekit local env --json` prints.
 */
export async function startDetachedStack(
  dataDir: string,
  extra: string[] = [],
  cwd?: string,
): Promise<Record<string, string>> {
  const port = await freePort();
  const started = await runCli(
    ['local', 'start', '--detach', '--port', String(port), '--data-dir', dataDir, ...extra],
    { timeoutMs: 90_000, ...(cwd ? { cwd } : {}) },
  );
  if (started.code !== 0) throw new Error(`local start failed: ${started.stderr}${started.stdout}`);
  const env = await runCli(['local', 'env', '--json', '--data-dir', dataDir], cwd ? { cwd } : {});
  if (env.code !== 0) throw new Error(`local env failed: ${env.stderr}`);
  return JSON.parse(env.stdout) as Record<string, string>;
}

/**
 * A detached stack for a Python client (boto3, the AWS CLI): the environment with its endpoints and keys,
 * UTF-8 output, and no AWS profile that could take precedence.
 */
export async function startStackForPython(dataDir: string, cwd?: string): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(await startDetachedStack(dataDir, [], cwd)),
    PYTHONIOENCODING: 'utf-8',
  };
  delete env.AWS_PROFILE;
  return env;
}

export async function stopStack(dataDir: string): Promise<void> {
  await runCli(['local', 'stop', '--data-dir', dataDir], { timeoutMs: 30_000 });
}

/**
 * moto's server handling one request at a time. moto_server is threaded and checks S3's If-Match /
 * If-None-Match before it writes, without a lock, so two racing conditional PUTs can both succeed — which
 * real S3 never allows. Concurrency tests of compare-and-swap need the reference to be atomic.
 */
const SERIALIZED_MOTO = `
import sys
from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
run_simple("127.0.0.1", int(sys.argv[1]), DomainDispatcherApplication(create_backend_app), threaded=False)
`;

/**
 * moto_server on a free port (IAM for the tutorial's get_role); resolves once it answers. `env` reaches
 * the server, e.g. INITIAL_NO_AUTH_ACTION_COUNT to make it enforce IAM policies after n calls.
 */
export async function startMoto(
  options: { env?: Record<string, string>; serialized?: boolean } = {},
): Promise<{ endpoint: string; stop(): void }> {
  const port = await freePort();
  const [command, args] = options.serialized
    ? ['python3', ['-c', SERIALIZED_MOTO, String(port)]]
    : ['moto_server', ['-H', '127.0.0.1', '-p', String(port)]];
  const child = spawn(command, args, {
    stdio: 'ignore',
    env: { ...process.env, ...options.env },
  });
  // A server that cannot start (not installed, port taken) says so now, not after the 30 s deadline.
  let ended: string | undefined;
  child.once('error', (error) => (ended = error.message));
  child.once('exit', (code, signal) => (ended ??= `exited with ${code ?? signal}`));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (ended) throw new Error(`moto_server did not start: ${ended}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.status < 500) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('moto_server did not start');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { endpoint, stop: () => child.kill('SIGTERM') };
}

/**
 * `tunekit watch --fast` on a free port as a real process, in `cwd` with its data in `dataDir`; resolves
 * once it watches the bucket. `children` collects the process for the test file's afterAll to kill.
 */
export async function startWatch(
  dataDir: string,
  cwd: string,
  children: ChildProcess[],
  extraEnv: NodeJS.ProcessEnv = {},
) {
  rmSync(join(dataDir, 'stack.json'), { force: true });
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin/tunekit.mjs'), 'watch', '-p', '0', '-d', dataDir, '--fast'],
    { cwd, env: { ...process.env, NO_COLOR: '1', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  for (let i = 0; i < 600 && !/watching s3:\/\//.test(out); i++) await new Promise((r) => setTimeout(r, 100));
  const state = JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8')) as {
    endpoint: string;
    accessKeyId: string;
    secretAccessKey: string;
  };
  // The stack accepts only its own key pair (stack.json, what `tunekit local env` prints).
  const credentials = { accessKeyId: state.accessKeyId, secretAccessKey: state.secretAccessKey };
  return { child, endpoint: state.endpoint, state, credentials, output: () => out };
}
