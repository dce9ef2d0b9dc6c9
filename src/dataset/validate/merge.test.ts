import { describe, expect, it } from 'vitest';
import { getModel } from '../../models/catalog.ts';
import { ReportBuilder } from './merge.ts';
import { SeenTable } from './seen-table.ts';

describe('ReportBuilder file-level checks', () => {
  it('flags a validation file above the model’s size limit (Titan: 100 MB)', () => {
    const report = new ReportBuilder(getModel('titan-text-express'), 'validation', 50).finish(150_000_000);
    expect(report.errors.map((e) => e.code)).toEqual(['NO_RECORDS', 'FILE_TOO_LARGE']);
    expect(report.errors[1]!.message).toContain('up to 100 MB');
  });
});

describe('SeenTable', () => {
  it('finds repeats and stops adding (but still checks) when full', () => {
    const table = new SeenTable(3); // 8 slots, 4 entries
    expect([1, 2, 3, 4].map((h) => table.checkAndAdd(h * 1e9, h))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(table.checkAndAdd(5e9, 5)).toBe('full');
    expect(table.checkAndAdd(2e9, 6)).toBe(2);
  });
});
