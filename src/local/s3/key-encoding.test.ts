import { describe, expect, it } from 'vitest';
import { bucketNameProblem, compareKeys, keyFileName } from './key-encoding.ts';

describe('keyFileName', () => {
  it('is a safe, bounded file name for any key', () => {
    for (const key of ['../../etc/passwd', 'a/b/c', '.', '..', 'x'.repeat(1024), 'é😀\u0000\n', 'CON']) {
      const name = keyFileName(key);
      expect(name).toMatch(/^[A-Za-z0-9_%~-]+$/);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(160);
    }
  });

  it('keeps keys that differ only in case or beyond the readable prefix apart', () => {
    expect(keyFileName('Model.bin')).not.toBe(keyFileName('model.bin'));
    expect(keyFileName(`${'p'.repeat(200)}a`)).not.toBe(keyFileName(`${'p'.repeat(200)}b`));
    expect(keyFileName('a/b').toLowerCase()).not.toBe(keyFileName('a/B').toLowerCase());
  });

  it('is stable across calls (records are found again after a restart)', () => {
    expect(keyFileName('training-data/train.jsonl')).toBe(keyFileName('training-data/train.jsonl'));
    expect(keyFileName('training-data/train.jsonl')).toMatch(/^training-data%2ftrain%2ejsonl~/);
  });
});

describe('compareKeys', () => {
  it('orders keys by UTF-8 bytes, as S3 lists them', () => {
    const keys = ['b', 'a\uffff', 'a😀', 'a', 'A', 'a/'];
    const bytewise = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareKeys)).toEqual(bytewise);
    // Plain JS sorting gets this pair wrong: U+FFFF sorts after the surrogate pair in UTF-16.
    expect(compareKeys('a😀', 'a\uffff')).toBeGreaterThan(0);
  });
});

describe('bucketNameProblem', () => {
  it('accepts valid names and explains invalid ones', () => {
    expect(bucketNameProblem('tunekit-data.v2')).toBe('');
    expect(bucketNameProblem('ab')).toMatch(/3-63/);
    expect(bucketNameProblem('a..b')).toMatch(/adjacent periods/);
    expect(bucketNameProblem('10.0.0.1')).toMatch(/IP address/);
  });
});
