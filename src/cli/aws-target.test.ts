import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { environmentError, noCredentialsError, resolveAwsTarget } from './aws-target.ts';

const VARS = [
  'TUNEKIT_TARGET',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
];
let saved: Record<string, string | undefined>;
let dataDir: string;

/** What a running stack writes (this test process stands in for its pid, so it is "alive"). */
const writeState = (pid = process.pid) =>
  writeFileSync(
    join(dataDir, 'stack.json'),
    JSON.stringify({
      pid,
      port: 4599,
      endpoint: 'http://127.0.0.1:4599',
      region: 'eu-west-1',
      dataDir,
      startedAt: new Date().toISOString(),
      services: ['s3', 'bedrock'],
      accessKeyId: 'TKLKEY',
      secretAccessKey: 'secret',
    }),
  );

beforeEach(() => {
  saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
  for (const v of VARS) delete process.env[v];
  dataDir = mkdtempSync(join(tmpdir(), 'tunekit-target-'));
});
afterEach(() => {
  for (const v of VARS) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('which AWS the CLI talks to', () => {
  it('finds the project stack from its state file, with its endpoint, region and key pair', () => {
    writeState();
    const target = resolveAwsTarget(dataDir);
    expect(target).toMatchObject({
      kind: 'local',
      state: { endpoint: 'http://127.0.0.1:4599', region: 'eu-west-1', accessKeyId: 'TKLKEY' },
    });
  });

  it('prefers endpoints and credentials the user exported, and --aws, over a running stack', () => {
    writeState();
    process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:9000';
    expect(resolveAwsTarget(dataDir)).toEqual({ kind: 'env-endpoint', endpoint: 'http://127.0.0.1:9000' });
    delete process.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_PROFILE = 'work';
    expect(resolveAwsTarget(dataDir)).toMatchObject({ kind: 'aws', why: 'AWS_PROFILE=work' });
    process.env.TUNEKIT_TARGET = 'local';
    expect(resolveAwsTarget(dataDir).kind).toBe('local');
    process.env.TUNEKIT_TARGET = 'aws';
    expect(resolveAwsTarget(dataDir)).toMatchObject({ kind: 'aws', why: '--aws' });
  });

  it('ignores the state of a stack whose process is gone, and says so when asked to use it', () => {
    writeState(2 ** 22 + 12345);
    expect(resolveAwsTarget(dataDir)).toMatchObject({
      kind: 'aws',
      why: expect.stringMatching(/^no local stack/),
    });
    process.env.TUNEKIT_TARGET = 'local';
    expect(() => resolveAwsTarget(dataDir)).toThrow(/no local stack is running/);
  });

  it('turns "no credentials anywhere" into a user error naming both ways out', () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    const mapped = noCredentialsError(error);
    expect(mapped?.message).toContain('no AWS credentials were found');
    expect(mapped?.hint).toMatch(/tunekit watch.*aws configure/);
    expect(noCredentialsError(new Error('other'))).toBeUndefined();
  });

  it('turns an unreachable endpoint and a service the local stack lacks into user errors with the fix', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND states.us-east-1.amazonaws.com'), {
      code: 'ENOTFOUND',
    });
    process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:4599';
    const mapped = environmentError(dns);
    expect(mapped?.message).toBe('cannot reach states.us-east-1.amazonaws.com (ENOTFOUND)');
    expect(mapped?.hint).toMatch(/AWS_ENDPOINT_URL_\* at an endpoint for some services only/);
    const refused = environmentError(new Error('connect ECONNREFUSED 127.0.0.1:4599'));
    expect(refused?.message).toBe('cannot reach 127.0.0.1:4599 (ECONNREFUSED)');
    const noSfn = environmentError(
      Object.assign(new Error('The local stack does not serve the AWS service "states".'), {
        name: 'UnknownServiceException',
      }),
    );
    expect(noSfn?.hint).toMatch(/tunekit watch/);
    expect(environmentError(new Error('ValidationException: bad field'))).toBeUndefined();
  });
});
