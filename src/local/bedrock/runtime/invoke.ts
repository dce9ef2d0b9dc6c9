import { randomUUID } from 'node:crypto';
import type { ApiRequest, ApiResponse } from '../api/types.ts';
import type { BedrockContext } from '../context.ts';
import { validation } from '../errors.ts';
import { parseJsonObject } from '../http.ts';
import {
  type GenerationRequest,
  parseConverseBody,
  parseInvokeBody,
  renderInvokeResponse,
} from './bodies.ts';
import { writeInvocationLog } from './invocation-log.ts';
import { converseRequestMetadata, headerRequestMetadata } from './request-metadata.ts';
import { resolveRuntimeModel } from './resolve-model.ts';

/**
 * Bedrock Runtime: InvokeModel (family bodies) and Converse (one shape), answered by the local engine, and
 * logged when model invocation logging is on (invocation-log.ts).
 */

function generate(
  ctx: BedrockContext,
  resolved: ReturnType<typeof resolveRuntimeModel>,
  request: GenerationRequest,
) {
  if (request.messages[request.messages.length - 1]?.role !== 'user')
    throw validation('The last message must be from the user.');
  return ctx.engine.generate({ ...request, artifact: resolved.artifact, family: resolved.spec.family });
}

export async function invokeModel(ctx: BedrockContext, req: ApiRequest): Promise<ApiResponse> {
  const contentType = String(req.headers['content-type'] ?? 'application/json');
  if (!contentType.startsWith('application/json'))
    throw validation(`The content type ${contentType} is not supported; use application/json.`);
  const requestMetadata = headerRequestMetadata(req.headers);
  const resolved = resolveRuntimeModel(ctx, req.params.modelId!);
  const body = parseJsonObject(req.raw);
  const request = parseInvokeBody(resolved.spec.runtimeBody, body);
  const output = generate(ctx, resolved, request);
  const responseBody = renderInvokeResponse(resolved.spec.runtimeBody, output, resolved.spec.invokeId);
  const requestId = randomUUID();
  await writeInvocationLog(ctx, {
    operation: 'InvokeModel',
    modelId: req.params.modelId!,
    requestId,
    requestBody: body,
    responseBody,
    inputTokens: output.inputTokens,
    outputTokens: output.outputTokens,
    requestMetadata,
  });
  return {
    status: 200,
    body: responseBody,
    headers: {
      'x-amzn-requestid': requestId,
      'x-amzn-bedrock-input-token-count': String(output.inputTokens),
      'x-amzn-bedrock-output-token-count': String(output.outputTokens),
    },
  };
}

export async function converse(ctx: BedrockContext, req: ApiRequest): Promise<ApiResponse> {
  const started = performance.now();
  const requestMetadata = converseRequestMetadata(req.body);
  const resolved = resolveRuntimeModel(ctx, req.params.modelId!);
  const output = generate(ctx, resolved, parseConverseBody(req.body));
  const responseBody = {
    output: { message: { role: 'assistant', content: [{ text: output.text }] } },
    stopReason: output.stopReason,
    usage: {
      inputTokens: output.inputTokens,
      outputTokens: output.outputTokens,
      totalTokens: output.inputTokens + output.outputTokens,
    },
    metrics: { latencyMs: Math.max(1, Math.round(performance.now() - started)) },
  };
  const requestId = randomUUID();
  await writeInvocationLog(ctx, {
    operation: 'Converse',
    modelId: req.params.modelId!,
    requestId,
    requestBody: req.body,
    responseBody,
    inputTokens: output.inputTokens,
    outputTokens: output.outputTokens,
    requestMetadata,
  });
  return { status: 200, body: responseBody, headers: { 'x-amzn-requestid': requestId } };
}
