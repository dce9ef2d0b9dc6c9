import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../../src/local/auth/sigv4-verify.ts';

/**
 * fetch() signed with SigV4 by the SDK's own signer: for requests no SDK client makes (a made-up
 * service, a raw body) against the local stack, which refuses anything not signed with its key pair.
 */
export async function signedFetch(
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  service: string,
  init: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {},
  signingDate = new Date(),
): Promise<Response> {
  const url = new URL(init.path ?? '/', endpoint);
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service, sha256: NodeSha256 });
  const signed = await signer.sign(
    {
      method: init.method ?? 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, ...init.headers },
      body: init.body,
    },
    { signingDate },
  );
  return fetch(url, { method: signed.method, headers: signed.headers, body: init.body });
}
