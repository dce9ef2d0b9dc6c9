import { relative, resolve } from 'node:path';
import { type AwsClientOptions, type AwsClients, createAwsClients } from '../aws/clients.ts';
import type { Config } from '../config/schema.ts';
import { TunekitError } from '../errors.ts';
import { isProcessAlive, readStateFile, type StackStateFile, stackEnv } from '../local/state-file.ts';
import { isNetworkError, NETWORK_FIX } from '../ops/checks.ts';

/**
 * Which AWS every CLI command talks to, decided in one place. Precedence (first match wins):
 *
 * 1. `--aws` (or TUNEKIT_TARGET=aws): real AWS through the SDK's own resolution (env, profile, SSO, role).
 * 2. TUNEKIT_TARGET=local: the project's local stack, an error when none runs.
 * 3. AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> in the environment (e.g. `eval "$(tunekit local env)"`,
 *    or a stack elsewhere): the SDK uses them with the environment's credentials.
 * 4. AWS credentials in the environment (AWS_ACCESS_KEY_ID or AWS_PROFILE): real AWS.
 * 5. A local stack running for this project (`<local.dataDir>/stack.json`, written by `tunekit watch` or
 *    `tunekit local start`): its endpoint, region and key pair.
 * 6. Otherwise real AWS with the SDK's default chain (~/.aws files, SSO, instance role); when that finds
 *    no credentials either, `noCredentialsError` says how to get a local stack or AWS credentials.
 *
 * The choice is said once per process on stderr (stdout stays clean for --json), except for endpoints the
 * user exported (3), which need no news.
 */

export type AwsTarget =
  | { kind: 'local'; state: StackStateFile; dataDir: string }
  | { kind: 'env-endpoint'; endpoint: string }
  | { kind: 'aws'; why: string };

/** The local stack whose state is in `dataDir`, when its process is alive. */
function liveStack(dataDir: string): StackStateFile | undefined {
  const state = readStateFile(dataDir);
  return state && isProcessAlive(state.pid) && typeof state.accessKeyId === 'string' ? state : undefined;
}

const envEndpoint = (): string | undefined => {
  if (process.env.AWS_ENDPOINT_URL) return process.env.AWS_ENDPOINT_URL;
  const name = Object.keys(process.env).find((k) => k.startsWith('AWS_ENDPOINT_URL_') && process.env[k]);
  return name ? process.env[name] : undefined;
};

export function resolveAwsTarget(dataDir: string): AwsTarget {
  const forced = process.env.TUNEKIT_TARGET?.toLowerCase();
  if (forced === 'aws') return { kind: 'aws', why: '--aws' };
  if (forced === 'local') {
    const state = liveStack(dataDir);
    if (!state)
      throw new TunekitError(
        'LOCAL.NOT_RUNNING',
        `TUNEKIT_TARGET=local but no local stack is running for ${dataDir}`,
        { hint: 'start one with `tunekit watch` or `tunekit local start --detach` in this project' },
      );
    return { kind: 'local', state, dataDir };
  }
  if (forced !== undefined && forced !== '')
    throw new TunekitError('CLI.USAGE', `TUNEKIT_TARGET must be "aws" or "local", got "${forced}"`);
  const endpoint = envEndpoint();
  if (endpoint) return { kind: 'env-endpoint', endpoint };
  if (process.env.AWS_ACCESS_KEY_ID) return { kind: 'aws', why: 'AWS_ACCESS_KEY_ID is set' };
  if (process.env.AWS_PROFILE) return { kind: 'aws', why: `AWS_PROFILE=${process.env.AWS_PROFILE}` };
  const state = liveStack(dataDir);
  if (state) return { kind: 'local', state, dataDir };
  return { kind: 'aws', why: `no local stack runs for ${displayPath(dataDir)}` };
}

const displayPath = (dir: string) => {
  const rel = relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : `${rel}/`;
};

let announced = false;
let lastTarget: { target: AwsTarget; dataDir: string } | undefined;

function announce(target: AwsTarget, region: string): void {
  // Endpoints the user exported themselves need no news; a discovered stack or AWS does.
  if (announced || target.kind === 'env-endpoint') return;
  announced = true;
  const line =
    target.kind === 'local'
      ? `using the local stack at ${target.state.endpoint} (${displayPath(target.dataDir)})`
      : `using AWS in ${region} (${target.why})`;
  process.stderr.write(`${line}\n`);
}

/**
 * The AWS clients a CLI command uses, pointed at the target above. `endpoint` (a command's --endpoint
 * flag) overrides the choice: every service at that URL, signed with the local stack's key pair when the
 * project's stack serves it.
 */
export function cliAwsClients(
  config: Config,
  dir: string,
  options: Omit<AwsClientOptions, 'endpoints' | 'credentials'> & { endpoint?: string } = {},
): AwsClients {
  const { endpoint, ...rest } = options;
  const dataDir = resolve(dir, config.local.dataDir);
  const region = rest.region ?? config.region;
  const everywhere = (url: string) => ({
    s3: url,
    bedrock: url,
    bedrockRuntime: url,
    sfn: url,
    sns: url,
    iam: url,
    sts: url,
    eventbridge: url,
  });
  if (endpoint) {
    const state = liveStack(dataDir);
    const own = state?.endpoint === endpoint ? state : undefined;
    return createAwsClients({
      ...rest,
      region,
      endpoints: everywhere(endpoint),
      ...(own ? { credentials: own } : {}),
    });
  }
  const target = resolveAwsTarget(dataDir);
  lastTarget = { target, dataDir };
  if (target.kind === 'local') {
    announce(target, target.state.region);
    // As if the user had run `eval "$(tunekit local env)"`: what ops/ reads to know it is local (setup
    // skips the role, train needs none) and what child processes inherit.
    const { state } = target;
    Object.assign(process.env, stackEnv(state.endpoint, state.region, state.services, state));
    return createAwsClients({
      ...rest,
      region: rest.region ?? target.state.region,
      endpoints: everywhere(target.state.endpoint),
      credentials: { accessKeyId: target.state.accessKeyId, secretAccessKey: target.state.secretAccessKey },
    });
  }
  announce(target, region);
  return createAwsClients({ ...rest, region });
}

/** The local stack a command was pointed at, or undefined (AWS or an endpoint from the environment). */
export function localTarget(): StackStateFile | undefined {
  return lastTarget?.target.kind === 'local' ? lastTarget.target.state : undefined;
}

/**
 * The SDK found no credentials anywhere (CredentialsProviderError): a user error that says how to get a
 * local stack or AWS credentials, instead of an internal error.
 */
export function noCredentialsError(error: unknown): TunekitError | undefined {
  const e = error as { name?: string; message?: string } | undefined;
  if (e?.name !== 'CredentialsProviderError' && !/Could not load credentials/.test(e?.message ?? ''))
    return undefined;
  const noStack = lastTarget?.target.kind === 'aws' && lastTarget.target.why.startsWith('no local stack');
  const where = noStack ? ` and no local stack is running for ${displayPath(lastTarget!.dataDir)}` : '';
  return new TunekitError('AWS.NO_CREDENTIALS', `no AWS credentials were found${where}`, {
    hint:
      'for the local stack (no AWS account): run `tunekit watch` (or `tunekit local start --detach`) in this project; ' +
      'for AWS: `aws configure`, or `aws sso login --profile X` and export AWS_PROFILE=X',
  });
}

/**
 * The machine could not reach an endpoint (DNS, refused, timeout), or the local stack does not serve the
 * service a command needs (a stack started with `local start` runs no pipeline): the environment's
 * problem, said with its fix, not an internal error.
 */
export function environmentError(error: unknown): TunekitError | undefined {
  const e = error as { name?: string; message?: string; code?: string } | undefined;
  if (e?.name === 'UnknownServiceException')
    return new TunekitError('LOCAL.NO_SERVICE', e.message ?? 'the local stack does not serve this service', {
      hint: 'the pipeline (Step Functions, its tasks) runs only in a stack started by `tunekit watch` (or `npm start`): `tunekit local stop`, then `tunekit watch`',
    });
  if (!isNetworkError(error)) return undefined;
  // Node's message names the code and the host: "getaddrinfo ENOTFOUND host", "connect ECONNREFUSED ip:port".
  const [, code, host] = /([A-Z_]{5,})\s+([\w.:-]+)/.exec(e?.message ?? '') ?? [
    undefined,
    e?.code,
    undefined,
  ];
  const pointedLocally = Object.keys(process.env).some((k) => k.startsWith('AWS_ENDPOINT_URL'));
  return new TunekitError(
    'AWS.UNREACHABLE',
    `cannot reach ${host ?? 'the endpoint'} (${code ?? 'network error'})`,
    {
      hint: pointedLocally
        ? 'this shell points AWS_ENDPOINT_URL_* at an endpoint for some services only: run tunekit in a project with a running local stack without them (it finds the stack by itself), or start the stack with `tunekit watch`'
        : NETWORK_FIX,
    },
  );
}
