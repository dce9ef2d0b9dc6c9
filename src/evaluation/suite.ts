import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { TunekitError } from '../errors.ts';
import { compileSchema } from './metrics/json-schema.ts';
import { type EvalSuite, EvalSuiteSchema } from './suite.schema.ts';

const MAX_LISTED = 20;

/** `cases[3].assertions[0].pattern` from a zod path. */
const jsonPath = (path: readonly PropertyKey[]) =>
  path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  ) || '(root)';

function lineOf(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return `${line}:${position - before.lastIndexOf('\n')}`;
}

/**
 * Where JSON.parse failed. Newer V8 says "at position N"; Node 20's V8 instead quotes ~10 characters of
 * context either side ('Unexpected token ',', ..."cases": [,]"... is not valid JSON'), which we locate.
 */
function errorPosition(text: string, message: string): number | undefined {
  const position = /position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return Number(position);
  if (/end of JSON input/.test(message)) return text.length;
  const quoted = /Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(
    message,
  );
  if (!quoted) return undefined;
  const [, token, elided, context] = quoted as unknown as [string, string, string | undefined, string];
  const at = text.indexOf(context);
  if (at < 0) return undefined;
  return elided ? at + 10 : at + context.indexOf(token);
}

function parseText(path: string, text: string): unknown {
  try {
    return /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (cause) {
    const message = (cause as Error).message;
    const position = errorPosition(text, message);
    const where = position === undefined ? path : `${path}:${lineOf(text, position)}`;
    throw new TunekitError(
      'EVAL.SUITE_PARSE',
      `${where}: not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${message}`,
      {
        hint: 'fix the syntax at the position shown',
        cause,
      },
    );
  }
}

/** Checks zod cannot express: unique ids, compilable regexes and JSON Schemas. */
function semanticIssues(suite: EvalSuite): string[] {
  const issues: string[] = [];
  const seen = new Map<string, number>();
  suite.cases.forEach((c, i) => {
    const first = seen.get(c.id);
    if (first !== undefined) issues.push(`cases[${i}].id: duplicate id "${c.id}" (also cases[${first}])`);
    else seen.set(c.id, i);
    c.assertions.forEach((a, j) => {
      const at = `cases[${i}].assertions[${j}]`;
      try {
        if (a.type === 'regex') new RegExp(a.pattern, a.flags);
        if (a.type === 'json-schema') compileSchema(a.schema);
      } catch (e) {
        issues.push(`${at}.${a.type === 'regex' ? 'pattern' : 'schema'}: ${(e as Error).message}`);
      }
    });
  });
  return issues;
}

/** Reads and validates a suite file (JSON or YAML); every problem is listed with its JSON path. */
export function loadSuite(path: string): EvalSuite {
  if (!existsSync(path)) {
    throw new TunekitError('EVAL.SUITE_NOT_FOUND', `evaluation suite not found: ${path}`, {
      hint: 'pass --suite <file>, or run `tunekit init` to get a sample suite (eval/suite.json)',
    });
  }
  return parseSuite(path, readFileSync(path, 'utf8'));
}

/** Validates a suite's text (JSON, or YAML when `path` ends in .yaml/.yml); `path` names it in messages. */
export function parseSuite(path: string, text: string): EvalSuite {
  const raw = parseText(path, text);
  const parsed = EvalSuiteSchema.safeParse(raw);
  const issues = parsed.success
    ? semanticIssues(parsed.data)
    : parsed.error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}`);
  if (issues.length > 0) {
    const listed = issues.slice(0, MAX_LISTED).map((i) => `  ${i}`);
    if (issues.length > MAX_LISTED) listed.push(`  ...and ${issues.length - MAX_LISTED} more`);
    throw new TunekitError('EVAL.SUITE_INVALID', `${path}: invalid evaluation suite:\n${listed.join('\n')}`, {
      hint: 'each case needs id, category (in-domain | out-of-domain | safety), prompt and reference; see docs/evaluation.md',
    });
  }
  return parsed.data!;
}
