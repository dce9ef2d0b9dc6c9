import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/e2e/helpers/cli.ts';
import { configJsonSchemaText } from './json-schema.ts';
import { loadConfig } from './load.ts';

describe('loadConfig', () => {
  it('fills every default when there is no config file', () => {
    const { config, path } = loadConfig({ dir: tempDir() });
    expect(path).toBeUndefined();
    expect(config.baseModel).toBe('amazon.nova-micro-v1:0:128k');
    expect(config.data.prefix).toBe('training-data/');
    expect(config.gate.maxSafetyRegression).toBe(0);
  });

  it('reads YAML and keeps the values it sets', () => {
    const dir = tempDir({ 'tunekit.config.yaml': 'project: acme\ngate:\n  minInDomainImprovement: 0.2\n' });
    const { config } = loadConfig({ dir });
    expect(config.project).toBe('acme');
    expect(config.gate.minInDomainImprovement).toBe(0.2);
    expect(config.gate.mustBeatProduction).toBe(true);
  });

  it('names the file and each bad field', () => {
    const dir = tempDir({
      'tunekit.config.json': JSON.stringify({ project: 'Bad Name', gate: { minInDomainImprovement: 7 } }),
    });
    expect(() => loadConfig({ dir })).toThrow(
      /tunekit\.config\.json:\n {2}project: use lowercase[\s\S]*gate\.minInDomainImprovement/,
    );
  });

  it('reports a JSON syntax error with the file name', () => {
    const dir = tempDir({ 'tunekit.config.json': '{"project": ' });
    expect(() => loadConfig({ dir })).toThrow(/tunekit\.config\.json:1:13: not valid JSON/);
  });
});

describe('published JSON Schema', () => {
  it('matches the zod schema (run `npm run schema:generate` after changing it)', () => {
    const checkedIn = readFileSync(
      join(import.meta.dirname, '../../schema/tunekit.config.schema.json'),
      'utf8',
    );
    expect(checkedIn).toBe(configJsonSchemaText());
  });
});
