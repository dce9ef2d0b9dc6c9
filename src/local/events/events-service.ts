import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { JsonDocument } from '../json-document.ts';

/** botocore `events` 2015-10-07 shapes: RuleName / TargetId pattern and lengths, EventPattern max, RuleState. */
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const TARGET_ID = /^[.\-_A-Za-z0-9]{1,64}$/;
const MAX_EVENT_PATTERN = 4096;
const RULE_STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];
/** EventBridge quotas: "Targets per rule: 5" (service-quota page of the EventBridge user guide). */
const MAX_TARGETS = 5;

interface Target {
  Id: string;
  Arn: string;
  [field: string]: unknown;
}
interface Rule {
  Name: string;
  Arn: string;
  EventPattern?: string;
  ScheduleExpression?: string;
  State: string;
  Description?: string;
  RoleArn?: string;
  Tags?: { Key: string; Value: string }[];
  targets: Target[];
}
interface EventsState {
  rules: Record<string, Rule>;
}

class EventsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The EventBridge subset of the tutorial's Lab 3 (`deploy_automation.py`'s put_rule) and cleanup step 4
 * (remove-targets, delete-rule) on the default bus: rules and their targets are stored and answered as
 * EventBridge does. Rules do not deliver events here: locally `tunekit watch` triggers the pipeline itself
 * (docs/local.md).
 */
export function createEventsService(options: { dataDir: string; accountId: string; region: string }) {
  const doc = new JsonDocument<EventsState>(join(options.dataDir, 'events', 'rules.json'), () => ({
    rules: {},
  }));
  const ruleArn = (name: string) => `arn:aws:events:${options.region}:${options.accountId}:rule/${name}`;
  const ruleOf = (state: EventsState, name: string) => {
    const rule = state.rules[name];
    if (!rule)
      throw new EventsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus default.`);
    return rule;
  };
  const describe = (rule: Rule) => ({
    Name: rule.Name,
    Arn: rule.Arn,
    EventPattern: rule.EventPattern,
    ScheduleExpression: rule.ScheduleExpression,
    State: rule.State,
    Description: rule.Description,
    RoleArn: rule.RoleArn,
    EventBusName: 'default',
  });

  const actions: Record<string, (input: Record<string, unknown>) => unknown> = {
    PutRule: (input) => {
      const name = ruleName(input.Name);
      const pattern = optionalString(input, 'EventPattern');
      const schedule = optionalString(input, 'ScheduleExpression');
      if (pattern === undefined && schedule === undefined)
        throw new EventsError(
          'ValidationException',
          'Parameter(s) EventPattern or ScheduleExpression must be specified.',
        );
      if (pattern !== undefined) assertEventPattern(pattern);
      const state = optionalString(input, 'State') ?? 'ENABLED';
      if (!RULE_STATES.includes(state))
        throw validation(
          `Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [${RULE_STATES.join(', ')}]`,
        );
      const arn = ruleArn(name);
      doc.update((s) => {
        const targets = s.rules[name]?.targets ?? [];
        const tags = s.rules[name]?.Tags ?? tagList(input.Tags);
        s.rules[name] = {
          Name: name,
          Arn: arn,
          EventPattern: pattern,
          ScheduleExpression: schedule,
          State: state,
          Description: optionalString(input, 'Description'),
          RoleArn: optionalString(input, 'RoleArn'),
          Tags: tags,
          targets,
        };
      });
      return { RuleArn: arn };
    },
    DescribeRule: (input) => describe(ruleOf(doc.get(), ruleName(input.Name))),
    ListRules: (input) => {
      const prefix = optionalString(input, 'NamePrefix') ?? '';
      return {
        Rules: Object.values(doc.get().rules)
          .filter((r) => r.Name.startsWith(prefix))
          .map(describe),
      };
    },
    EnableRule: (input) => setState(ruleName(input.Name), 'ENABLED'),
    DisableRule: (input) => setState(ruleName(input.Name), 'DISABLED'),
    DeleteRule: (input) => {
      const name = ruleName(input.Name);
      doc.update((s) => {
        const rule = s.rules[name];
        if (rule && rule.targets.length > 0)
          throw new EventsError('ValidationException', "Rule can't be deleted since it has targets.");
        delete s.rules[name]; // deleting a rule that does not exist succeeds, as on AWS
      });
      return {};
    },
    PutTargets: (input) => {
      const name = ruleName(input.Rule, 'rule');
      const targets = Array.isArray(input.Targets) ? (input.Targets as Target[]) : [];
      if (targets.length === 0)
        throw validation("Value null at 'targets' failed to satisfy constraint: Member must not be null");
      for (const t of targets) {
        if (typeof t.Id !== 'string' || !TARGET_ID.test(t.Id))
          throw validation(
            `Value '${t.Id}' at 'targets.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`,
          );
        if (typeof t.Arn !== 'string' || t.Arn.length === 0)
          throw validation(
            "Value null at 'targets.member.arn' failed to satisfy constraint: Member must not be null",
          );
      }
      doc.update((s) => {
        const rule = ruleOf(s, name);
        const kept = rule.targets.filter((old) => !targets.some((t) => t.Id === old.Id));
        if (kept.length + targets.length > MAX_TARGETS)
          throw new EventsError(
            'LimitExceededException',
            `The requested resource exceeds the maximum number allowed (${MAX_TARGETS} targets per rule).`,
          );
        rule.targets = [...kept, ...targets];
      });
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    RemoveTargets: (input) => {
      const name = ruleName(input.Rule, 'rule');
      const ids = Array.isArray(input.Ids) ? (input.Ids as string[]) : [];
      doc.update((s) => {
        const rule = ruleOf(s, name);
        rule.targets = rule.targets.filter((t) => !ids.includes(t.Id));
      });
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    // Tags of a rule by its ARN (cleanup finds a project's rules by `tunekit:project`).
    TagResource: (input) => {
      const tags = tagList(input.Tags);
      doc.update((s) => {
        const rule = ruleByArn(s, input.ResourceARN);
        const keys = new Set(tags.map((t) => t.Key));
        rule.Tags = [...(rule.Tags ?? []).filter((t) => !keys.has(t.Key)), ...tags];
      });
      return {};
    },
    UntagResource: (input) => {
      const keys = Array.isArray(input.TagKeys) ? (input.TagKeys as string[]) : [];
      doc.update((s) => {
        const rule = ruleByArn(s, input.ResourceARN);
        rule.Tags = (rule.Tags ?? []).filter((t) => !keys.includes(t.Key));
      });
      return {};
    },
    ListTagsForResource: (input) => ({ Tags: ruleByArn(doc.get(), input.ResourceARN).Tags ?? [] }),
    ListTargetsByRule: (input) => ({ Targets: ruleOf(doc.get(), ruleName(input.Rule, 'rule')).targets }),
  };

  function ruleByArn(state: EventsState, arn: unknown): Rule {
    const rule = Object.values(state.rules).find((r) => r.Arn === arn);
    if (!rule)
      throw new EventsError(
        'ResourceNotFoundException',
        `Rule ${String(arn).split('/').pop()} does not exist on EventBus default.`,
      );
    return rule;
  }

  function setState(name: string, state: string) {
    doc.update((s) => {
      ruleOf(s, name).State = state;
    });
    return {};
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AWSEvents.') ? target.slice('AWSEvents.'.length) : '';
    try {
      const action = actions[operation];
      if (!action)
        throw new EventsError(
          'UnknownOperationException',
          `The local EventBridge does not serve "${target}". Served: ${Object.keys(actions).join(', ')}.`,
        );
      send(res, 200, action(await readJson(req)) ?? {});
    } catch (error) {
      if (!(error instanceof EventsError)) throw error;
      send(res, 400, { __type: error.type, message: error.message });
    }
  };
}

function ruleName(value: unknown, member = 'name'): string {
  if (typeof value !== 'string')
    throw validation(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  if (!RULE_NAME.test(value))
    throw validation(
      `Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length between 1 and 64`,
    );
  return value;
}

function tagList(value: unknown): { Key: string; Value: string }[] {
  if (!Array.isArray(value)) return [];
  return (value as { Key?: unknown; Value?: unknown }[]).map((t) => ({
    Key: String(t.Key ?? ''),
    Value: String(t.Value ?? ''),
  }));
}

function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? value : undefined;
}

/** EventBridge refuses a pattern that is not a JSON object: `InvalidEventPatternException`. */
function assertEventPattern(pattern: string): void {
  if (pattern.length > MAX_EVENT_PATTERN)
    throw validation(
      `Value at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to ${MAX_EVENT_PATTERN}`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(pattern);
  } catch (error) {
    throw new EventsError(
      'InvalidEventPatternException',
      `Event pattern is not valid. Reason: ${(error as Error).message}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new EventsError(
      'InvalidEventPatternException',
      'Event pattern is not valid. Reason: Filter is not an object',
    );
}

const validation = (detail: string) =>
  new EventsError('ValidationException', `1 validation error detected: ${detail}`);

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new EventsError('SerializationException', 'The request body is not a JSON object.');
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': String(body.length),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(body);
}
