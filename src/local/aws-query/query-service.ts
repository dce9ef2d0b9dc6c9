import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderXml, type XmlNode } from '../s3/xml.ts';
import { QueryError } from './query-error.ts';
import { QueryParams } from './query-params.ts';

const MAX_BODY = 1_000_000; // query bodies are small: the largest (an IAM policy document) is 10 KB.

export type QueryAction = (params: QueryParams) => XmlNode | undefined | Promise<XmlNode | undefined>;

/**
 * Serves an AWS "query" protocol service (IAM, STS, SNS) from a table of actions: reads the form body,
 * calls the action, and wraps its result as `<XResponse><XResult>…</XResult><ResponseMetadata/></XResponse>`
 * in the service's XML namespace — the shape botocore's and SDK v3's query parsers expect.
 */
export function queryService(options: {
  namespace: string;
  actions: Record<string, QueryAction>;
  /** SNS reports a missing parameter as InvalidParameter; IAM and STS as ValidationError. */
  validationCode?: string;
}): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const requestId = randomUUID();
    try {
      const params = new QueryParams(await readParams(req), options.validationCode);
      const action = params.action;
      const handler = action === undefined ? undefined : options.actions[action];
      if (!action || !handler)
        throw new QueryError(
          'InvalidAction',
          400,
          `The action ${action ?? '(none)'} is not valid for this web service. The local stack serves: ${Object.keys(options.actions).join(', ')}.`,
        );
      const result = await handler(params);
      const body: XmlNode = {};
      if (result !== undefined) body[`${action}Result`] = result;
      body.ResponseMetadata = { RequestId: requestId };
      send(res, 200, renderXml(`${action}Response`, body, options.namespace), requestId);
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      const doc = renderXml(
        'ErrorResponse',
        { Error: { Type: error.type, Code: error.code, Message: error.message }, RequestId: requestId },
        options.namespace,
      );
      send(res, error.status, doc, requestId);
    }
  };
}

async function readParams(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY)
      throw new QueryError('ValidationError', 400, `Request body exceeds ${MAX_BODY} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks).toString('utf8');
  const query = (req.url ?? '').split('?')[1] ?? '';
  // POST carries the parameters in the body (SDKs, the AWS CLI); a GET carries them in the query string.
  return new URLSearchParams(body.length > 0 ? body : query);
}

function send(res: ServerResponse, status: number, xml: string, requestId: string): void {
  const body = Buffer.from(xml);
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': String(body.length),
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}
