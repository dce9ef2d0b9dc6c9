import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { TunekitError } from '../errors.ts';
import { createPrivateDir } from './auth/stack-credentials.ts';
import {
  isProcessAlive,
  readStateFile,
  removeStateFile,
  type StackStateFile,
  stackEnv,
} from './state-file.ts';

/**
 * Finding and managing a stack from another process (`tunekit local env|status|stop`, `start --detach`),
 * through the state file in its data dir and the unsigned health endpoint.
 */

export interface StackStatus {
  running: boolean;
  dataDir: string;
  pid?: number;
  port?: number;
  endpoint?: string;
  region?: string;
  startedAt?: string;
  services?: string[];
  /** Why it is not running, or a stale state file. */
  note?: string;
}

async function healthy(endpoint: string, timeoutMs = 1500): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/_tunekit/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}

export async function stackStatus(dataDir: string): Promise<StackStatus> {
  const dir = resolve(dataDir);
  const state = readStateFile(dir);
  if (!state)
    return {
      running: false,
      dataDir: dir,
      note: `no stack state in ${dir} (start one with \`tunekit local start\`)`,
    };
  const base = {
    dataDir: dir,
    pid: state.pid,
    port: state.port,
    endpoint: state.endpoint,
    region: state.region,
    startedAt: state.startedAt,
    services: state.services,
  };
  if (!isProcessAlive(state.pid))
    return {
      running: false,
      ...base,
      note: `stale state file: process ${state.pid} is gone (it crashed or was killed)`,
    };
  if (!(await healthy(state.endpoint)))
    return {
      running: false,
      ...base,
      note: `process ${state.pid} is alive but ${state.endpoint} does not answer`,
    };
  return { running: true, ...base };
}

/** The running stack's state, or a clear error telling the user how to start one. */
export async function requireRunningStack(dataDir: string): Promise<StackStateFile> {
  const status = await stackStatus(dataDir);
  const state = readStateFile(resolve(dataDir));
  if (!status.running || !state)
    throw new TunekitError(
      'LOCAL.NOT_RUNNING',
      `no local stack is running for data dir ${status.dataDir}: ${status.note}`,
      {
        hint: `start it with \`tunekit local start --detach --data-dir ${dataDir}\``,
      },
    );
  return state;
}

export async function envForStack(dataDir: string): Promise<Record<string, string>> {
  const state = await requireRunningStack(dataDir);
  return stackEnv(state.endpoint, state.region, state.services, state);
}

/** SIGTERM (the stack stops cleanly: jobs failed with a message, state written), then wait for it to exit. */
export async function stopStack(
  dataDir: string,
  timeoutMs = 15_000,
): Promise<{ stopped: boolean; pid?: number; note?: string }> {
  const dir = resolve(dataDir);
  const state = readStateFile(dir);
  if (!state) return { stopped: false, note: `no stack state in ${dir}; nothing to stop` };
  if (!isProcessAlive(state.pid)) {
    removeStateFile(dir, state.pid);
    return {
      stopped: false,
      pid: state.pid,
      note: `process ${state.pid} was already gone; removed the stale state file`,
    };
  }
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(state.pid)) {
    if (Date.now() > deadline) {
      process.kill(state.pid, 'SIGKILL');
      await sleep(200);
      removeStateFile(dir, state.pid);
      return { stopped: true, pid: state.pid, note: 'did not stop within the timeout; killed' };
    }
    await sleep(100);
  }
  return { stopped: true, pid: state.pid };
}

const BIN = fileURLToPath(new URL('../../bin/tunekit.mjs', import.meta.url));

/**
 * Starts `tunekit local start <args>` as a detached background process logging to <dataDir>/stack.log,
 * and returns once it answers on its health endpoint.
 */
export async function startDetached(
  args: string[],
  dataDir: string,
  timeoutMs = 60_000,
): Promise<StackStatus> {
  const dir = resolve(dataDir);
  createPrivateDir(dir);
  const logPath = join(dir, 'stack.log');
  const log = openSync(logPath, 'a');
  const child = spawn(process.execPath, [BIN, 'local', 'start', ...args], {
    detached: true,
    stdio: ['ignore', log, log],
    env: process.env,
  });
  child.unref();
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = readStateFile(dir);
    if (state && state.pid === child.pid && (await healthy(state.endpoint))) return stackStatus(dir);
    if (exited !== null) {
      // The child printed its own error and fix (a port in use, a stack already running): pass them on.
      const tail = readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-4);
      const error = tail.find((l) => /^(\S+ )?error /.test(l))?.replace(/^(\S+ )?error /, '');
      const fix = tail.find((l) => /^\s*->/.test(l))?.replace(/^\s*->\s*/, '');
      throw new TunekitError(
        'LOCAL.START_FAILED',
        `the local stack exited (code ${exited}) before answering${error ? `: ${error}` : ''}`,
        { hint: fix ?? `see ${logPath}` },
      );
    }
    if (Date.now() > deadline)
      throw new TunekitError(
        'LOCAL.START_TIMEOUT',
        `the local stack did not answer within ${timeoutMs / 1000} s`,
        { hint: `see ${logPath}` },
      );
    await sleep(100);
  }
}
