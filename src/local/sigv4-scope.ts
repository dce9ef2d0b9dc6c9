import type { IncomingMessage } from 'node:http';

/** The parts of a SigV4 credential scope the local stack routes by (signatures are not verified). */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const SCOPE = /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;

/**
 * Reads the scope from the `Authorization` header or, for presigned URLs, from `X-Amz-Credential`.
 * undefined when the request is unsigned.
 */
export function readCredentialScope(
  req: Pick<IncomingMessage, 'headers' | 'url'>,
): CredentialScope | undefined {
  const auth = req.headers.authorization;
  let match = typeof auth === 'string' ? SCOPE.exec(auth) : null;
  if (!match && req.url?.includes('X-Amz-Credential=')) {
    const query = new URL(req.url, 'http://local').searchParams;
    const credential = query.get('X-Amz-Credential');
    if (credential) match = SCOPE.exec(`Credential=${credential}`);
  }
  if (!match) return undefined;
  return { accessKeyId: match[1]!, date: match[2]!, region: match[3]!, service: match[4]! };
}
