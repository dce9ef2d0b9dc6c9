import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readEventsSince } from './event-journal.ts';
import { createS3Service } from './s3-service.ts';

const dirs: string[] = [];
const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tunekit-s3-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('crash recovery at start-up', () => {
  it('removes what an interrupted write leaves behind and keeps every committed object intact', async () => {
    const dataDir = newDir();
    const bucketDir = join(dataDir, 's3', 'buckets', 'bkt');
    const service = await createS3Service({ dataDir });
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => void service.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await fetch(`http://127.0.0.1:${port}/bkt`, { method: 'PUT' });
    await fetch(`http://127.0.0.1:${port}/bkt/kept`, { method: 'PUT', body: 'committed' });
    await fetch(`http://127.0.0.1:${port}/bkt/kept`, { method: 'PUT', body: 'committed v2' });
    server.close();
    await service.close();

    // What a kill -9 mid-write can leave: a half data file, a temp record, a half-made bucket, a torn event.
    writeFileSync(join(bucketDir, 'data', 'half-written-data'), 'partial');
    writeFileSync(join(bucketDir, 'objects', '.tmp-123'), '{"key":');
    writeFileSync(join(dataDir, 's3', 'buckets', '.tmp-bucket'), '');
    await appendFile(join(dataDir, 's3', 'events.jsonl'), '{"bucket":"bkt","ke');

    const reopened = await createS3Service({ dataDir });
    await expect(reopened.store.putObject('missing', 'k', 'x')).rejects.toThrow(/no bucket "missing"/);
    expect(await reopened.store.headObject('bkt', 'kept')).toMatchObject({
      size: 12,
      contentType: 'text/plain;charset=UTF-8',
    });
    expect(await reopened.store.headObject('bkt', 'absent')).toBeUndefined();
    await reopened.store.ensureBucket('bkt'); // exists: no-op
    await reopened.store.ensureBucket('fresh-bucket');
    expect(await reopened.store.bucketExists('fresh-bucket')).toBe(true);
    await expect(reopened.store.ensureBucket('Bad_Name')).rejects.toThrow(/not a valid bucket name/);
    expect(readdirSync(join(bucketDir, 'data'))).toHaveLength(1); // only v2's bytes
    expect(existsSync(join(bucketDir, 'objects', '.tmp-123'))).toBe(false);
    expect(existsSync(join(dataDir, 's3', 'buckets', '.tmp-bucket'))).toBe(false);
    expect((await reopened.store.getObject('bkt', 'kept'))?.toString()).toBe('committed v2');
    expect(await reopened.store.listKeys('bkt', '')).toEqual(['kept']);
    // The torn journal line is skipped and numbering continues after the last complete event.
    await reopened.store.putObject('bkt', 'next', 'n');
    const events = await readEventsSince(dataDir);
    expect(events.map((e) => [e.key, e.sequencer])).toEqual([
      ['kept', '0000000000000001'],
      ['kept', '0000000000000002'],
      ['next', '0000000000000003'],
    ]);
    expect(
      (await readFile(join(dataDir, 's3', 'events.jsonl'), 'utf8')).split('\n').filter(Boolean),
    ).toHaveLength(4);
    await reopened.close();
  });

  it('refuses to start on a damaged bucket record, naming the file and the fix', async () => {
    const dataDir = newDir();
    const service = await createS3Service({ dataDir });
    await service.store.ensureBucket('damaged');
    await service.close();
    const path = join(dataDir, 's3', 'buckets', 'damaged', 'bucket.json');
    writeFileSync(path, '{not json');
    await expect(createS3Service({ dataDir })).rejects.toMatchObject({
      code: 'S3.CORRUPT_DATA',
      message: expect.stringContaining(path),
      hint: expect.stringContaining('Restore that file'),
    });
  });
});
