import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector } from '../faults/fault-injector.ts';
import { deploymentRoutes } from './api/deployments.ts';
import { jobRoutes } from './api/jobs.ts';
import { loggingRoutes } from './api/logging-config.ts';
import { modelRoutes } from './api/models.ts';
import { provisionedRoutes } from './api/provisioned.ts';
import { tagRoutes } from './api/tags.ts';
import type { ApiRequest, Route } from './api/types.ts';
import type { BedrockContext } from './context.ts';
import { BedrockError } from './errors.ts';
import { parseJsonObject, pathSegments, readBody, sendError, sendJson } from './http.ts';
import { converse, invokeModel } from './runtime/invoke.ts';

const notStreamed = (): never => {
  throw new BedrockError(
    'ValidationException',
    'The local stack does not emulate response streaming; use InvokeModel or Converse instead.',
  );
};

export const RUNTIME_ROUTES: Route[] = [
  { api: 'InvokeModel', method: 'POST', path: '/model/{modelId}/invoke', handler: invokeModel },
  { api: 'Converse', method: 'POST', path: '/model/{modelId}/converse', handler: converse },
  {
    api: 'InvokeModelWithResponseStream',
    method: 'POST',
    path: '/model/{modelId}/invoke-with-response-stream',
    handler: notStreamed,
  },
  { api: 'ConverseStream', method: 'POST', path: '/model/{modelId}/converse-stream', handler: notStreamed },
];

export const CONTROL_ROUTES: Route[] = [
  ...jobRoutes,
  ...modelRoutes,
  ...provisionedRoutes,
  ...deploymentRoutes,
  ...tagRoutes,
  ...loggingRoutes,
];

function match(
  routes: Route[],
  method: string,
  segments: string[],
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const template = route.path.split('/').filter(Boolean);
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < template.length; i++) {
      const t = template[i]!;
      if (t.startsWith('{')) params[t.slice(1, -1)] = segments[i]!;
      else if (t !== segments[i]) {
        ok = false;
        break;
      }
    }
    if (ok) return { route, params };
  }
  return undefined;
}

/** One restJson1 handler for a route table: match, inject faults, run, render result or modelled error. */
export function createRouteHandler(getCtx: () => BedrockContext, routes: Route[], faults: FaultInjector) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    try {
      const found = match(routes, req.method ?? 'GET', pathSegments(url));
      if (!found) {
        await readBody(req);
        throw new BedrockError(
          'ValidationException',
          `Unknown operation: ${req.method} ${url.split('?')[0]}`,
        );
      }
      const raw = await readBody(req);
      const outcome = await faults.apply(found.route.api);
      if (outcome === 'throttle')
        throw new BedrockError('ThrottlingException', 'Too many requests, please wait before trying again.');
      if (outcome === 'error')
        throw new BedrockError(
          'InternalServerException',
          'An internal server error occurred. Retry your request. (injected fault)',
        );
      const isInvoke = found.route.api === 'InvokeModel';
      const apiReq: ApiRequest = {
        params: found.params,
        query: new URL(url, 'http://local').searchParams,
        body: isInvoke ? {} : parseJsonObject(raw),
        raw,
        headers: req.headers,
      };
      const result = await found.route.handler(getCtx(), apiReq);
      // An acknowledged change must survive a crash: answer once what the call wrote is on disk.
      await getCtx().state.flush();
      sendJson(res, result.status, result.body, result.headers);
    } catch (error) {
      if (error instanceof BedrockError) sendError(res, error);
      else {
        getCtx().log(`internal error on ${req.method} ${url}: ${(error as Error)?.stack ?? String(error)}`);
        sendError(
          res,
          new BedrockError(
            'InternalServerException',
            `Internal error: ${(error as Error)?.message ?? error}`,
          ),
        );
      }
    }
  };
}
