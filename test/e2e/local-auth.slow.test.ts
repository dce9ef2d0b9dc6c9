import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BedrockClient, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/cli.ts';
import { execFileAsync, startDetachedStack, stopStack } from './helpers/local-process.ts';

/**
 * The local stack accepts only its own key pair (issue 13), checked with real clients: boto3, the AWS CLI
 * and AWS SDK v3, configured only from what `tunekit local env` printed.
 */

const BOTO3 = String.raw`
import datetime, json, os, sys, urllib.request, urllib.error
import boto3, botocore.auth
from botocore.config import Config
from botocore.exceptions import ClientError

def client(service, key=None, secret=None):
    return boto3.client(service, aws_access_key_id=key or os.environ['AWS_ACCESS_KEY_ID'],
                        aws_secret_access_key=secret or os.environ['AWS_SECRET_ACCESS_KEY'],
                        config=Config(retries={'max_attempts': 1}, s3={'addressing_style': 'path'},
                                      # boto3 presigns S3 URLs with SigV2 unless told; the stack takes SigV4 only.
                                      signature_version='s3v4' if service == 's3' else None))

def code(call):
    try:
        call()
        return 'ok'
    except ClientError as e:
        return e.response['Error']['Code']

def fetch(url, method='GET', data=None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method)) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()

out = {}
s3 = client('s3')
s3.create_bucket(Bucket='auth')
out['put'] = code(lambda: s3.put_object(Bucket='auth', Key='a.txt', Body=b'hello'))
out['list'] = code(lambda: client('bedrock').list_foundation_models())
out['s3_wrong_key'] = code(lambda: client('s3', key='AKIAOTHERUSER0000000').list_objects_v2(Bucket='auth'))
out['s3_wrong_secret'] = code(lambda: client('s3', secret='not-the-secret').list_objects_v2(Bucket='auth'))
out['bedrock_wrong_key'] = code(lambda: client('bedrock', key='AKIAOTHERUSER0000000').list_custom_models())
out['bedrock_wrong_secret'] = code(lambda: client('bedrock', secret='nope').list_custom_models())
get_url = s3.generate_presigned_url('get_object', Params={'Bucket': 'auth', 'Key': 'a.txt'}, ExpiresIn=60)
out['presigned_get'] = fetch(get_url)
put_url = s3.generate_presigned_url('put_object', Params={'Bucket': 'auth', 'Key': 'b.txt'}, ExpiresIn=60)
out['presigned_put'] = fetch(put_url, 'PUT', b'via presigned put')[0]
out['after_put'] = s3.get_object(Bucket='auth', Key='b.txt')['Body'].read().decode()
out['presigned_tampered'] = fetch(get_url.replace('a.txt', 'b.txt'))[0]
bad_url = client('s3', secret='nope').generate_presigned_url('get_object', Params={'Bucket': 'auth', 'Key': 'a.txt'})
out['presigned_wrong_secret'] = fetch(bad_url)
# A clock 20 minutes slow: botocore signs with its own idea of "now".
real_now = botocore.auth.get_current_datetime
botocore.auth.get_current_datetime = lambda *a, **k: real_now(*a, **k) - datetime.timedelta(minutes=20)
out['s3_skewed'] = code(lambda: client('s3').list_objects_v2(Bucket='auth'))
out['bedrock_skewed'] = code(lambda: client('bedrock').list_custom_models())
expired_url = s3.generate_presigned_url('get_object', Params={'Bucket': 'auth', 'Key': 'a.txt'}, ExpiresIn=60)
botocore.auth.get_current_datetime = real_now
out['presigned_expired'] = fetch(expired_url)
print(json.dumps(out))
`;

let dataDir: string;
let env: Record<string, string>;
let openDir: string;
beforeAll(async () => {
  dataDir = join(tempDir(), 'fresh');
  env = await startDetachedStack(dataDir);
}, 120_000);
afterAll(async () => {
  await stopStack(dataDir);
  if (openDir) await stopStack(openDir);
});

const run = (command: string, args: string[], extra: Record<string, string> = {}) =>
  execFileAsync(command, args, { env: { ...process.env, ...env, ...extra } }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

describe('local stack authentication (real clients)', () => {
  it('gives each data dir its own key pair, kept private: dir 0700, credentials and state 0600', () => {
    expect(env.AWS_ACCESS_KEY_ID).toMatch(/^TKL[A-Z2-7]{17}$/);
    expect(env.AWS_SECRET_ACCESS_KEY).toHaveLength(40);
    expect(env.AWS_ACCESS_KEY_ID).not.toBe('tunekitlocal');
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const file of ['stack.json', 'credentials.json'])
      expect(statSync(join(dataDir, file)).mode & 0o777).toBe(0o600);
    const state = JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8'));
    expect(state.secretAccessKey).toBe(env.AWS_SECRET_ACCESS_KEY);
  });

  it('boto3: the printed key works (presigned GET and PUT too); another key, a wrong secret, a skewed clock and an expired URL get AWS errors', async () => {
    const r = await run('python3', ['-c', BOTO3]);
    expect(r.code, r.out).toBe(0);
    const out = JSON.parse(r.out.trim().split('\n').at(-1)!);
    expect(out).toMatchObject({
      put: 'ok',
      list: 'ok',
      s3_wrong_key: 'InvalidAccessKeyId',
      s3_wrong_secret: 'SignatureDoesNotMatch',
      bedrock_wrong_key: 'UnrecognizedClientException',
      bedrock_wrong_secret: 'InvalidSignatureException',
      presigned_get: [200, 'hello'],
      presigned_put: 200,
      after_put: 'via presigned put',
      presigned_tampered: 403,
      s3_skewed: 'RequestTimeTooSkewed',
      bedrock_skewed: 'InvalidSignatureException',
    });
    expect(out.presigned_wrong_secret[0]).toBe(403);
    expect(out.presigned_wrong_secret[1]).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(out.presigned_expired[0]).toBe(403);
    expect(out.presigned_expired[1]).toContain('<Message>Request has expired</Message>');
  }, 120_000);

  it('the AWS CLI: works with the printed key pair, refused with another', async () => {
    const file = join(tempDir(), 'cli.txt');
    writeFileSync(file, 'from the aws cli\n'.repeat(1000));
    expect((await run('aws', ['s3', 'cp', file, 's3://auth/cli.txt'])).code).toBe(0);
    const ls = await run('aws', ['s3', 'ls', 's3://auth/']);
    expect(ls.out).toContain('cli.txt');
    const wrongKey = await run('aws', ['s3', 'ls', 's3://auth/'], {
      AWS_ACCESS_KEY_ID: 'AKIAOTHERUSER0000000',
    });
    expect(wrongKey.code).not.toBe(0);
    expect(wrongKey.out).toContain('InvalidAccessKeyId');
    const wrongSecret = await run('aws', ['bedrock', 'list-custom-models'], {
      AWS_SECRET_ACCESS_KEY: 'nope',
    });
    expect(wrongSecret.out).toContain('InvalidSignatureException');
  }, 120_000);

  it('AWS SDK v3: works with the printed key pair (streamed upload included), refused with another; unsigned requests are refused', async () => {
    const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! };
    const s3 = new S3Client({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL_S3,
      credentials,
      forcePathStyle: true,
    });
    await s3.send(new PutObjectCommand({ Bucket: 'auth', Key: 'sdk.txt', Body: 'from sdk v3' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'auth', Key: 'sdk.txt' }));
    expect(await got.Body?.transformToString()).toBe('from sdk v3');
    const bedrock = new BedrockClient({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL_BEDROCK,
      credentials,
    });
    expect((await bedrock.send(new ListFoundationModelsCommand({}))).modelSummaries?.length).toBeGreaterThan(
      0,
    );
    const other = new BedrockClient({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL_BEDROCK,
      credentials: { ...credentials, secretAccessKey: 'nope' },
      maxAttempts: 1,
    });
    await expect(other.send(new ListFoundationModelsCommand({}))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    const unsigned = await fetch(`${env.AWS_ENDPOINT_URL_S3}/auth/sdk.txt`);
    expect(unsigned.status).toBe(403);
  });

  it('warns about a data dir other users can read, with the chmod; --insecure-any-credentials accepts any key and warns', async () => {
    openDir = join(tempDir(), 'open');
    mkdirSync(openDir, { mode: 0o755 });
    const insecure = await startDetachedStack(openDir, ['--insecure-any-credentials']);
    const log = readFileSync(join(openDir, 'stack.log'), 'utf8');
    expect(log).toContain(`chmod 700 '${openDir}'`);
    expect(log).toMatch(/--insecure-any-credentials: requests signed with ANY key pair are accepted/);
    const r = await run('aws', ['bedrock', 'list-custom-models'], {
      ...insecure,
      AWS_ACCESS_KEY_ID: 'anything',
      AWS_SECRET_ACCESS_KEY: 'anything',
    });
    expect(r.code, r.out).toBe(0);
  }, 120_000);
});
