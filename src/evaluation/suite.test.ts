import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES } from '../samples.ts';
import { loadSuite } from './suite.ts';

const dir = mkdtempSync(join(tmpdir(), 'tunekit-suite-'));
const write = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const good = { name: 's', cases: [{ id: 'a', category: 'in-domain', prompt: 'q', reference: 'r' }] };
const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return `${(e as Error).message} [${(e as { code?: string }).code}]`;
  }
  throw new Error('expected an error');
};

describe('loadSuite', () => {
  it('loads the shipped banking suite', () => {
    const suite = loadSuite(SAMPLES.bankingSuite);
    expect(suite.cases.length).toBeGreaterThan(10);
    expect(new Set(suite.cases.map((c) => c.category))).toEqual(
      new Set(['in-domain', 'out-of-domain', 'safety']),
    );
  });

  it('fills defaults (tags, assertions) and reads YAML', () => {
    const suite = loadSuite(
      write('s.yaml', 'name: s\ncases:\n  - id: a\n    category: safety\n    prompt: q\n    reference: r\n'),
    );
    expect(suite.cases[0]).toMatchObject({ tags: [], assertions: [] });
  });

  it('names the line and column of a JSON syntax error', () => {
    expect(message(() => loadSuite(write('bad.json', '{\n  "name": "s",\n  "cases": [,]\n}')))).toMatch(
      /bad\.json:3:13: not valid JSON.*\[EVAL\.SUITE_PARSE\]/s,
    );
  });

  it('lists every schema problem with its JSON path', () => {
    const bad = {
      name: 's',
      cases: [{ id: 'Bad Id', category: 'fun', prompt: '', reference: 'r' }, { id: 'b' }],
    };
    const text = message(() => loadSuite(write('invalid.json', JSON.stringify(bad))));
    expect(text).toContain('cases[0].id: use lowercase letters, digits and dashes');
    expect(text).toContain('cases[0].category');
    expect(text).toContain('cases[0].prompt');
    expect(text).toContain('cases[1].category');
    expect(text).toContain('cases[1].reference');
    expect(text).toContain('[EVAL.SUITE_INVALID]');
  });

  it('rejects duplicate ids, bad regexes and bad JSON Schemas', () => {
    const suite = {
      name: 's',
      cases: [
        good.cases[0],
        {
          ...good.cases[0],
          assertions: [
            { type: 'regex', pattern: '([a-z' },
            { type: 'json-schema', schema: { type: 'nope' } },
          ],
        },
      ],
    };
    const text = message(() => loadSuite(write('semantic.json', JSON.stringify(suite))));
    expect(text).toContain('cases[1].id: duplicate id "a" (also cases[0])');
    expect(text).toContain('cases[1].assertions[0].pattern');
    expect(text).toContain('cases[1].assertions[1].schema');
  });

  it('says where to get a suite when the file is missing', () => {
    expect(message(() => loadSuite(join(dir, 'missing.json')))).toMatch(/not found.*EVAL\.SUITE_NOT_FOUND/);
  });
});
