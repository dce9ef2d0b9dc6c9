import { createRequire } from 'node:module';
import { LAMBDA_INVOKE, placeholder, TRAIN_SYNC } from './definition.ts';

/**
 * asl-validator checks the schema but accepts JSONata and a non-string Resource (platform-notes.md), so
 * our own checks run on top: every Resource is one we know how to run, every Next/Default/Catch target
 * exists, nothing asks for JSONata or variables (the local interpreter silently ignores both).
 */

type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

export const KNOWN_RESOURCES: ReadonlySet<string> = new Set([LAMBDA_INVOKE, TRAIN_SYNC]);

export interface DefinitionIssue {
  /** e.g. `States.Evaluate.ItemProcessor.States.EvaluateCase.Resource` */
  path: string;
  message: string;
}

type States = Record<string, Record<string, unknown>>;

export function validateDefinition(definition: Record<string, unknown>): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  // Placeholders are not ARNs until substituted, so the library's ARN check is ours to do.
  const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: false });
  if (!result.isValid) {
    for (const line of result.errorsText('\n').split('\n')) {
      if (line.trim()) issues.push({ path: '(asl-validator)', message: line.trim() });
    }
  }
  if ('QueryLanguage' in definition && definition.QueryLanguage !== 'JSONPath') {
    issues.push({
      path: 'QueryLanguage',
      message: 'only JSONPath is supported (the local runner has no JSONata)',
    });
  }
  checkStates(definition as { States?: States; StartAt?: string }, 'States', issues);
  return issues;
}

function checkStates(
  machine: { States?: States; StartAt?: string },
  base: string,
  issues: DefinitionIssue[],
) {
  const states = machine.States ?? {};
  const names = new Set(Object.keys(states));
  const target = (where: string, name: unknown) => {
    if (typeof name !== 'string' || !names.has(name)) {
      issues.push({ path: where, message: `transition to unknown state "${String(name)}"` });
    }
  };
  target(base.replace(/States$/, 'StartAt') || 'StartAt', machine.StartAt);
  for (const [name, state] of Object.entries(states)) {
    const at = `${base}.${name}`;
    if ('QueryLanguage' in state && state.QueryLanguage !== 'JSONPath') {
      issues.push({ path: `${at}.QueryLanguage`, message: 'only JSONPath is supported' });
    }
    for (const key of ['Arguments', 'Output', 'Assign']) {
      if (key in state) {
        issues.push({
          path: `${at}.${key}`,
          message: `${key} is JSONata/variables syntax; use JSONPath fields`,
        });
      }
    }
    if (JSON.stringify(state).includes('{%')) {
      issues.push({ path: at, message: 'contains a JSONata expression ({% ... %})' });
    }
    if (state.Type === 'Task') {
      if (typeof state.Resource !== 'string' || !KNOWN_RESOURCES.has(state.Resource)) {
        issues.push({
          path: `${at}.Resource`,
          message: `unknown Resource ${JSON.stringify(state.Resource)}`,
        });
      }
      const fnName = (state.Parameters as { FunctionName?: unknown } | undefined)?.FunctionName;
      if (state.Resource === LAMBDA_INVOKE && (typeof fnName !== 'string' || !/^\$\{\w+\}$/.test(fnName))) {
        issues.push({
          path: `${at}.Parameters.FunctionName`,
          message: `must be a placeholder such as ${placeholder('NotifyFunctionArn')}, substituted with a function ARN`,
        });
      }
    }
    if (typeof state.Next === 'string' || 'Next' in state) target(`${at}.Next`, state.Next);
    if ('Default' in state) target(`${at}.Default`, state.Default);
    for (const [i, choice] of ((state.Choices as { Next?: string }[] | undefined) ?? []).entries()) {
      target(`${at}.Choices[${i}].Next`, choice.Next);
    }
    for (const [i, c] of ((state.Catch as { Next?: string }[] | undefined) ?? []).entries()) {
      target(`${at}.Catch[${i}].Next`, c.Next);
    }
    const processor = (state.ItemProcessor ?? state.Iterator) as
      | { States?: States; StartAt?: string }
      | undefined;
    if (processor) checkStates(processor, `${at}.ItemProcessor.States`, issues);
    for (const [i, branch] of ((state.Branches as { States?: States }[] | undefined) ?? []).entries()) {
      checkStates(branch, `${at}.Branches[${i}].States`, issues);
    }
  }
}

/** Replaces `${Name}` placeholders; an unknown placeholder is an error, not a silent empty string. */
export function substitute(definition: unknown, values: Record<string, string>): unknown {
  const text = JSON.stringify(definition).replace(/\$\{(\w+)\}/g, (match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for definition substitution ${match}`);
    return JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(text);
}
