import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { TunekitError } from '../errors.ts';
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
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new TunekitError(
      'CONFIG.PARSE',
      `${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(cause as Error).message}`,
      {
        hint: 'fix the syntax error at the position shown',
        cause,
      },
    );
  }
  const parsed = ConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new TunekitError('CONFIG.INVALID', `${path}:\n${formatZodIssues(parsed.error.issues)}`, {
      hint: 'fix the fields listed above; the JSON Schema in schema/tunekit.config.schema.json documents each one',
    });
  }
  return { config: parsed.data, path, dir: resolve(path, '..') };
}

/** "  gate.minInDomainImprovement: Too big: expected number to be <=1" — one line per issue. */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => `  ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}
