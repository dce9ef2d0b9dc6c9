import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Collection } from './collection.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'tunekit-collection-'));

describe('Collection', () => {
  it('persists records in write order and reloads them', async () => {
    const d = dir();
    const c = new Collection<{ id: string; n: number }>(d);
    for (let n = 0; n < 50; n++) c.put({ id: 'a', n });
    c.put({ id: 'b', n: 1 });
    c.delete('b');
    expect(c.get('a')?.n).toBe(49); // memory answers at once
    await c.flush();
    expect(JSON.parse(readFileSync(join(d, 'a.json'), 'utf8')).n).toBe(49);
    expect(readdirSync(d).sort()).toEqual(['a.json']);
    expect(new Collection<{ id: string; n: number }>(d).all()).toEqual([{ id: 'a', n: 49 }]);
  });

  it('drops temp files left by a crash mid-write and skips unreadable records with a warning', () => {
    const d = dir();
    writeFileSync(join(d, 'a.json'), JSON.stringify({ id: 'a', n: 1 }));
    writeFileSync(join(d, 'a.json.123.tmp'), '{"id":"a","n":');
    writeFileSync(join(d, 'broken.json'), '{"id":');
    const warnings: string[] = [];
    const c = new Collection<{ id: string; n: number }>(d, (line) => warnings.push(line));
    expect(c.all()).toEqual([{ id: 'a', n: 1 }]);
    expect(readdirSync(d)).not.toContain('a.json.123.tmp');
    expect(warnings[0]).toMatch(/ignoring unreadable record .*broken.json/);
  });
});
