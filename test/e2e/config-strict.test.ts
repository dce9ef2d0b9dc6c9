import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from './helpers/cli.ts';

const RECORD = `${JSON.stringify({
  schemaVersion: 'bedrock-conversation-2024',
  system: [{ text: 'You are helpful.' }],
  messages: [
    { role: 'user', content: [{ text: 'Hi' }] },
    { role: 'assistant', content: [{ text: 'Hello!' }] },
  ],
})}\n`;

/** Runs a command that reads the project's config, in a project holding `config` as tunekit.config.json. */
function withConfig(config: string) {
  const dir = tempDir({ 'tunekit.config.json': config, 'train.jsonl': RECORD });
  return runCli(['data', 'validate', 'train.jsonl'], { cwd: dir });
}

describe('config is strict', () => {
  it('names each misspelled key with the key it probably meant', async () => {
    const result = await withConfig(
      JSON.stringify({ evalution: { suite: 'eval/suite.json' }, gate: { maxSafetyRegresion: 0.1 } }, null, 2),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/evalution: unknown key; did you mean "evaluation"\?/);
    expect(result.stderr).toMatch(
      /gate\.maxSafetyRegresion: unknown key; did you mean "maxSafetyRegression"\?/,
    );
    expect(result.stderr).not.toMatch(/internal error/);
  });

  it('gives the line and column of a JSON syntax error', async () => {
    const result = await withConfig(
      '{\n  "project": "acme",\n  "region": "us-east-1"\n  "bucket": "b-1"\n}\n',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/tunekit\.config\.json:4:3: not valid JSON/);
  });

  it('says so when the config file is empty', async () => {
    const result = await withConfig('  \n');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/tunekit\.config\.json: the config file is empty/);
    expect(result.stderr).toMatch(/`\{\}`/);
  });

  it('the published JSON Schema rejects unknown keys too', () => {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schema/tunekit.config.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(schema);
    expect(validate({ project: 'acme', gate: { maxSafetyRegression: 0 } })).toBe(true);
    expect(validate({ project: 'acme', gate: { maxSafetyRegresion: 0 } })).toBe(false);
    expect(validate({ evalution: {} })).toBe(false);
  });
});
