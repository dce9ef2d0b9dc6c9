import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { getSigningKey, SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch } from '../../../test/e2e/helpers/signed-fetch.ts';
import { AwsChunkedDecoder } from '../s3/aws-chunked.ts';
import { type LocalServer, startServer } from '../server.ts';
import { stackAuthenticator } from './authenticate.ts';
import { ChunkVerifier } from './chunk-signing.ts';
import { NodeSha256, sha256Hex } from './sigv4-verify.ts';

const credentials = {
  accessKeyId: 'TKLTESTKEY0000000001',
  secretAccessKey: 'right-secret-right-secret-right-secret00',
};
const wrongSecret = { ...credentials, secretAccessKey: 'wrong-secret' };
const unknownKey = { accessKeyId: 'AKIAOTHERUSER0000000', secretAccessKey: credentials.secretAccessKey };
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

let server: LocalServer;
beforeAll(async () => {
  server = await startServer({
    port: 0,
    admin: (_req, res) => void res.end(),
    authenticate: stackAuthenticator(credentials),
  });
  // Echo handlers: what reached the service (method, path, body as the handler reads it).
  for (const name of ['s3', 'bedrock', 'states', 'sts']) {
    server.registerService(name, async (req, res) => {
      const body = (await buffer(req as unknown as Readable)).toString();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ service: name, path: req.url, body }));
    });
  }
});
afterAll(() => server.close());

describe('SigV4 verification (Authorization header)', () => {
  it('lets a request signed with the stack key through, with its body intact (JSON service, ARN in the path)', async () => {
    const path = `/custom-models/${encodeURIComponent('arn:aws:bedrock:us-east-1:000000000000:custom-model/a b')}`;
    const res = await signedFetch(server.endpoint, credentials, 'bedrock', { path, body: '{"x":1}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ service: 'bedrock', path, body: '{"x":1}' });
  });

  it('refuses a wrong secret with InvalidSignatureException (JSON) and SignatureDoesNotMatch (S3, query services)', async () => {
    const json = await signedFetch(server.endpoint, wrongSecret, 'bedrock', { path: '/custom-models' });
    expect(json.status).toBe(403);
    expect(json.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    const s3 = await signedFetch(server.endpoint, wrongSecret, 's3', {
      method: 'GET',
      path: '/bucket/key',
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    expect(s3.status).toBe(403);
    expect(await s3.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const sts = await signedFetch(server.endpoint, wrongSecret, 'sts', { body: 'Action=GetCallerIdentity' });
    expect(sts.status).toBe(403);
    expect(await sts.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses an unknown access key with UnrecognizedClientException (JSON) and InvalidAccessKeyId (S3)', async () => {
    const json = await signedFetch(server.endpoint, unknownKey, 'states', {
      headers: { 'x-amz-target': 'AWSStepFunctions.ListStateMachines' },
      body: '{}',
    });
    expect(json.status).toBe(403);
    expect(await json.json()).toEqual({
      __type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    const s3 = await signedFetch(server.endpoint, unknownKey, 's3', {
      method: 'GET',
      path: '/bucket',
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    expect(s3.status).toBe(403);
    expect(await s3.text()).toMatch(
      /<Code>InvalidAccessKeyId<\/Code>.*<AWSAccessKeyId>AKIAOTHERUSER0000000</s,
    );
  });

  it('refuses a body changed after signing', async () => {
    const signer = new SignatureV4({
      credentials,
      region: 'us-east-1',
      service: 'bedrock',
      sha256: NodeSha256,
    });
    const url = new URL('/custom-models', server.endpoint);
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { host: url.host },
      body: '{"x":1}',
    });
    const res = await fetch(url, { method: 'POST', headers: signed.headers, body: '{"x":2}' });
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
  });

  it('refuses a clock more than 15 minutes off: RequestTimeTooSkewed (S3), InvalidSignatureException "Signature expired" (JSON)', async () => {
    const s3 = await signedFetch(
      server.endpoint,
      credentials,
      's3',
      { method: 'GET', path: '/bucket', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      minutes(-20),
    );
    expect(s3.status).toBe(403);
    expect(await s3.text()).toMatch(
      /<Code>RequestTimeTooSkewed<\/Code>.*<MaxAllowedSkewMilliseconds>900000</s,
    );
    const json = await signedFetch(
      server.endpoint,
      credentials,
      'bedrock',
      { path: '/custom-models' },
      minutes(16),
    );
    expect(json.status).toBe(400);
    expect(json.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(((await json.json()) as { message: string }).message).toMatch(/^Signature not yet current/);
    // 14 minutes off is within the allowed skew.
    const ok = await signedFetch(
      server.endpoint,
      credentials,
      'bedrock',
      { path: '/custom-models' },
      minutes(-14),
    );
    expect(ok.status).toBe(200);
  });
});

describe('SigV4 verification (presigned URL)', () => {
  const presign = async (keys: typeof credentials, signingDate: Date, expiresIn: number, method = 'GET') => {
    const url = new URL('/bucket/a%20key.txt', server.endpoint);
    const signer = new SignatureV4({
      credentials: keys,
      region: 'us-east-1',
      service: 's3',
      sha256: NodeSha256,
      uriEscapePath: false,
    });
    const presigned = await signer.presign(
      {
        method,
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        // As @aws-sdk/s3-request-presigner does: the header is hoisted into the query.
        headers: { host: url.host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      },
      { signingDate, expiresIn },
    );
    const query = Object.entries(presigned.query ?? {})
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    return `${url.origin}${url.pathname}?${query}`;
  };

  it('accepts a valid presigned GET and PUT, and refuses an expired one with AccessDenied "Request has expired"', async () => {
    expect((await fetch(await presign(credentials, new Date(), 60))).status).toBe(200);
    const put = await fetch(await presign(credentials, new Date(), 60, 'PUT'), {
      method: 'PUT',
      body: 'hello',
    });
    expect(((await put.json()) as { body: string }).body).toBe('hello');
    const expired = await fetch(await presign(credentials, minutes(-10), 300));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/<Code>AccessDenied<\/Code><Message>Request has expired</);
    const wrong = await fetch(await presign(wrongSecret, new Date(), 60));
    expect(await wrong.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses a presigned URL whose path was changed', async () => {
    const url = (await presign(credentials, new Date(), 60)).replace('a%20key.txt', 'other.txt');
    expect(await (await fetch(url)).text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

describe('signed streaming uploads (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', () => {
  const date = new Date();
  const longDate = date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const scope = `${longDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
  const seed = 'a'.repeat(64);

  /** The aws-chunked body a signing client sends, each chunk signed by the SDK signer's own HMAC. */
  async function chunkedBody(chunks: string[], keys: typeof credentials): Promise<string> {
    const signer = new SignatureV4({
      credentials: keys,
      region: 'us-east-1',
      service: 's3',
      sha256: NodeSha256,
    });
    let previous = seed;
    let body = '';
    for (const data of [...chunks, '']) {
      const stringToSign = [
        'AWS4-HMAC-SHA256-PAYLOAD',
        longDate,
        scope,
        previous,
        sha256Hex(''),
        sha256Hex(data),
      ].join('\n');
      previous = await signer.sign(stringToSign, { signingDate: date });
      body += `${Buffer.byteLength(data).toString(16)};chunk-signature=${previous}\r\n${data}${data ? '\r\n' : ''}`;
    }
    return `${body}\r\n`;
  }

  const decode = async (body: string) => {
    const signingKey = await getSigningKey(NodeSha256, credentials, longDate.slice(0, 8), 'us-east-1', 's3');
    const decoder = new AwsChunkedDecoder(
      new ChunkVerifier({ signingKey, longDate, scope, seedSignature: seed }),
    );
    return (await buffer(Readable.from([Buffer.from(body)]).pipe(decoder))).toString();
  };

  it('decodes chunks whose signatures chain from the seed signature', async () => {
    expect(await decode(await chunkedBody(['hello ', 'world'], credentials))).toBe('hello world');
  });

  it('fails a chunk signed with another secret, or changed in transit, with SignatureDoesNotMatch', async () => {
    await expect(decode(await chunkedBody(['hello'], wrongSecret))).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
      status: 403,
    });
    const tampered = (await chunkedBody(['hello'], credentials)).replace('hello', 'jello');
    await expect(decode(tampered)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });
});
