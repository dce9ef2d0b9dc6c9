import { describe, expect, it } from 'vitest';
import { CATALOG, findModel, getModel } from './catalog.ts';
import { ModelSpecSchema } from './schema.ts';

describe('model catalog', () => {
  it('has a valid row for every model the issue names', () => {
    for (const row of CATALOG) expect(() => ModelSpecSchema.parse(row)).not.toThrow();
    const ids = CATALOG.map((m) => m.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'amazon.nova-micro-v1:0:128k',
        'amazon.nova-lite-v1:0:300k',
        'amazon.nova-pro-v1:0:300k',
        'amazon.nova-2-lite-v1:0:256k',
        'anthropic.claude-3-haiku-20240307-v1:0:200k',
        'meta.llama3-1-8b-instruct-v1:0:128k',
        'meta.llama3-2-90b-instruct-v1:0:128k',
        'amazon.titan-text-express-v1:0:8k',
      ]),
    );
  });

  it('keeps every default inside its own range', () => {
    for (const m of CATALOG)
      for (const h of m.hyperparameters) {
        expect(h.default, `${m.id} ${h.name}`).toBeGreaterThanOrEqual(h.min);
        expect(h.default, `${m.id} ${h.name}`).toBeLessThanOrEqual(h.max);
      }
  });

  it('finds models by id, invoke id, alias and foundation-model ARN', () => {
    expect(findModel('amazon.titan-text-express-v1')?.id).toBe('amazon.titan-text-express-v1:0:8k');
    expect(findModel('nova-micro')?.id).toBe('amazon.nova-micro-v1:0:128k');
    expect(findModel('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0')?.id).toBe(
      'amazon.nova-lite-v1:0:300k',
    );
  });

  it('fails on an unknown model with the list of known ones', () => {
    expect(() => getModel('gpt-4')).toThrow(/unknown base model "gpt-4"/);
  });
});
