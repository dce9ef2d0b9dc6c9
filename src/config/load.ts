import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { toJSONSchema, type z } from 'zod';
import { TunekitError } from '../errors.ts';
import { didYouMean } from './did-you-mean.ts';
import { type Config, ConfigSchema } from './schema.ts';

export const CONFIG_FILE_NAMES = [
  'tunekit.config.json',
  'tunekit.config.yaml',
  'tunekit.config.yml',
] as const;

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file the config came from; undefined when only defaults apply. */
  path: string | undefined;
  /** Directory relative paths in the config are resolved against. */
  dir: string;
}

/** Finds the config file in `dir` (or takes `explicitPath`), parses and validates it, fills defaults. */
export function loadConfig(options: { dir?: string; explicitPath?: string } = {}): LoadedConfig {
  const dir = resolve(options.dir ?? process.cwd());
  const path = options.explicitPath
    ? resolve(dir, options.explicitPath)
    : CONFIG_FILE_NAMES.map((name) => resolve(dir, name)).find((p) => existsSync(p));
  if (!path) return { config: ConfigSchema.parse({}), path: undefined, dir };
  if (!existsSync(path)) {
    throw new TunekitError('CONFIG.NOT_FOUND', `config file not found: ${path}`, {
      hint: 'check the --config path, or run `tunekit init` to create one',
    });
  }
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') {
    throw new TunekitError('CONFIG.EMPTY', `${path}: the config file is empty`, {
      hint: 'write at least `{}` (every setting has a default), or delete the file, or run `tunekit init` to create one',
    });
  }
  const raw = parseConfigText(path, text);
  const parsed = ConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new TunekitError(
      'CONFIG.INVALID',
      `${path}:\n${formatZodIssues(parsed.error.issues, ConfigSchema)}`,
      {
        hint: 'fix the fields listed above; the JSON Schema in schema/tunekit.config.schema.json documents each one',
      },
    );
  }
  return { config: parsed.data, path, dir: resolve(path, '..') };
}

/** Parses JSON or YAML; a syntax error names file:line:column (JSON.parse only gives an offset). */
function parseConfigText(path: string, text: string): unknown {
  const json = path.endsWith('.json');
  try {
    return json ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    const message = (cause as Error).message;
    // Node 20's JSON.parse says "... at position 182"; at the end of input it gives no offset at all.
    const offset = json ? Number(/position (\d+)/.exec(message)?.[1] ?? text.length) : undefined;
    const where = offset === undefined ? '' : `:${lineColumn(text, offset)}`;
    throw new TunekitError(
      'CONFIG.PARSE',
      `${path}${where}: not valid ${json ? 'JSON' : 'YAML'}: ${message.replace(/\s+in JSON at position \d+.*$/, '')}`,
      {
        hint: `fix the syntax at ${where ? `line:column ${where.slice(1)}` : 'the line and column shown'} (a missing comma or quote, or a trailing comma, is the usual cause)`,
        cause,
      },
    );
  }
}

/** "line:column", both 1-based, of a character offset. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

/**
 * "  gate.minInDomainImprovement: Too big: expected number to be <=1" — one line per issue. With the
 * schema, an unknown key also gets the closest known key at that place ("did you mean").
 */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[], schema?: z.ZodType): string {
  return issues
    .flatMap((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const known = schema ? knownKeysAt(schema, issue.path) : [];
        return issue.keys.map((key) => {
          const suggestion = didYouMean(key, known);
          const at = [...issue.path, key].join('.');
          return `  ${at}: unknown key${suggestion ? `; did you mean "${suggestion}"?` : known.length ? ` (known here: ${known.join(', ')})` : ''}`;
        });
      }
      return [`  ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`];
    })
    .join('\n');
}

interface JsonSchemaNode {
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
}

/** The property names the schema allows at `path` (array indices step into items, unions merge). */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let nodes: JsonSchemaNode[] = [toJSONSchema(schema, { io: 'input' }) as JsonSchemaNode];
  for (const step of path) {
    nodes = nodes
      .flatMap((node) => [node, ...(node.anyOf ?? []), ...(node.oneOf ?? [])])
      .flatMap((node) => {
        const next = typeof step === 'number' ? node.items : node.properties?.[String(step)];
        return next ? [next] : [];
      });
  }
  const keys = nodes
    .flatMap((node) => [node, ...(node.anyOf ?? []), ...(node.oneOf ?? [])])
    .flatMap((node) => Object.keys(node.properties ?? {}));
  return [...new Set(keys)];
}
