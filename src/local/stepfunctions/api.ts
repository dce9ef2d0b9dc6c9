import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseExecutionArn, parseStateMachineArn } from './arns.ts';
import type { ExecutionRecord } from './execution-store.ts';
import { SfnError, type StepFunctionsService } from './service.ts';

/**
 * The Step Functions API subset the CLI needs, on the wire as AWS serves it: awsJson1.0, POST /,
 * `X-Amz-Target: AWSStepFunctions.<Operation>`, timestamps as epoch seconds, errors as HTTP 400 with
 * `__type` and `x-amzn-errortype`, so `@aws-sdk/client-sfn`, boto3 and the AWS CLI all work unchanged.
 */

type Body = Record<string, unknown>;
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

function page<T>(items: T[], body: Body, defaultMax = 100): { items: T[]; nextToken?: string } {
  const max = Math.min(Math.max(Number(body.maxResults) || defaultMax, 1), 1000);
  const start = body.nextToken
    ? Number.parseInt(Buffer.from(String(body.nextToken), 'base64url').toString(), 10)
    : 0;
  if (!Number.isInteger(start) || start < 0) throw new SfnError('InvalidToken', 'Invalid Token');
  const slice = items.slice(start, start + max);
  const next =
    start + max < items.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
  return { items: slice, ...(next ? { nextToken: next } : {}) };
}

function execArn(body: Body): string {
  if (!parseExecutionArn(body.executionArn)) {
    throw new SfnError(
      'InvalidArn',
      `Invalid Arn: 'Resource type not valid in this context: ${String(body.executionArn)}'`,
    );
  }
  return String(body.executionArn);
}

function machineArn(body: Body, required = true): string | undefined {
  if (body.stateMachineArn === undefined && !required) return undefined;
  if (!parseStateMachineArn(body.stateMachineArn)) {
    throw new SfnError('InvalidArn', `Invalid Arn: '${String(body.stateMachineArn)}'`);
  }
  return String(body.stateMachineArn);
}

const summary = (e: ExecutionRecord) => ({
  executionArn: e.executionArn,
  stateMachineArn: e.stateMachineArn,
  name: e.name,
  status: e.status,
  startDate: seconds(e.startDate),
  stopDate: seconds(e.stopDate),
});

/**
 * A stored event as AWS's HistoryEvent shape has it: id, previousEventId, timestamp, type and the
 * `*EventDetails` members only (botocore stepfunctions HistoryEvent). What the local store keeps beside
 * them (the failing state's name on TaskFailed, a Map's error) is for in-process listeners, not the wire.
 */
function wireEvent(ev: ExecutionRecord['events'][number]): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    timestamp: seconds(ev.timestamp),
    type: ev.type,
    id: ev.id,
    previousEventId: ev.previousEventId,
  };
  for (const [key, value] of Object.entries(ev)) if (key.endsWith('EventDetails')) wire[key] = value;
  return wire;
}

export function createOperations(sfn: StepFunctionsService): Record<string, (body: Body) => unknown> {
  return {
    ListStateMachines: (body) => {
      const { items, nextToken } = page(sfn.listStateMachines(), body);
      return {
        stateMachines: items.map((m) => ({
          stateMachineArn: m.stateMachineArn,
          name: m.name,
          type: m.type,
          creationDate: seconds(m.creationDate),
        })),
        nextToken,
      };
    },
    DescribeStateMachine: (body) => {
      const m = sfn.describeStateMachine(machineArn(body)!);
      return { ...m, status: 'ACTIVE', creationDate: seconds(m.creationDate) };
    },
    StartExecution: (body) => {
      const r = sfn.startExecution({
        stateMachineArn: machineArn(body)!,
        name: body.name === undefined ? undefined : String(body.name),
        input: body.input === undefined ? undefined : String(body.input),
      });
      return { executionArn: r.executionArn, startDate: seconds(r.startDate) };
    },
    DescribeStateMachineForExecution: (body) => {
      const m = sfn.describeStateMachineForExecution(execArn(body));
      return { ...m, updateDate: seconds(m.updateDate) };
    },
    DescribeExecution: (body) => {
      const e = sfn.describeExecution(execArn(body));
      return { ...summary(e), input: e.input, output: e.output, error: e.error, cause: e.cause };
    },
    ListExecutions: (body) => {
      const statusFilter = body.statusFilter ? String(body.statusFilter) : undefined;
      const all = sfn
        .listExecutions(machineArn(body, false))
        .filter((e) => !statusFilter || e.status === statusFilter);
      const { items, nextToken } = page(all, body);
      return { executions: items.map(summary), nextToken };
    },
    GetExecutionHistory: (body) => {
      const e = sfn.describeExecution(execArn(body));
      const events = body.reverseOrder ? [...e.events].reverse() : e.events;
      const { items, nextToken } = page(events, body);
      return { events: items.map(wireEvent), nextToken };
    },
    DescribeMapRun: (body) => {
      const run = sfn.describeMapRun(String(body.mapRunArn ?? ''));
      return {
        ...run,
        startDate: seconds(run.startDate),
        ...(run.stopDate ? { stopDate: seconds(run.stopDate) } : {}),
      };
    },
    StopExecution: (body) => {
      const stopDate = sfn.stopExecution(
        execArn(body),
        body.error === undefined ? undefined : String(body.error),
        body.cause === undefined ? undefined : String(body.cause),
      );
      return { stopDate: seconds(stopDate) };
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': crypto.randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `(req, res)` handler for the local stack's router (registered as service `states`). */
export function createStepFunctionsHandler(sfn: StepFunctionsService) {
  const operations = createOperations(sfn);
  return async (req: IncomingMessage, res: ServerResponse, rawBody?: Buffer | string): Promise<void> => {
    const error = (status: number, type: string, message: string) =>
      send(res, status, { __type: type, message }, type);
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
      const operation = operations[op];
      if (req.method !== 'POST' || !operation) {
        return error(400, 'UnknownOperationException', `Unknown operation ${target || '(no X-Amz-Target)'}`);
      }
      const text = rawBody === undefined ? await readBody(req) : rawBody.toString();
      let body: Body;
      try {
        body = text ? (JSON.parse(text) as Body) : {};
      } catch {
        return error(400, 'SerializationException', 'Request body is not valid JSON');
      }
      send(res, 200, operation(body));
    } catch (e) {
      if (e instanceof SfnError) return error(400, e.type, e.message);
      error(500, 'InternalFailure', (e as Error).message);
    }
  };
}
