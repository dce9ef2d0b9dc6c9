import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomicAsync } from '../atomic-write.ts';

/**
 * A write-through map of records, one JSON file per record, each write atomic (temp + fsync + rename).
 * Reads are served from memory and writes happen off the event loop (fsync on a busy disk can take tens of
 * milliseconds), so control-plane calls stay fast while a job trains. Writes to one record are applied in
 * order; `flush()` resolves once everything written so far is durable — API handlers await it before
 * answering, so an acknowledged change survives a crash.
 */
export class Collection<T extends { id: string }> {
  private readonly items = new Map<string, T>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly dir: string,
    private readonly log: (line: string) => void = () => {},
  ) {
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.json')) {
        // Leftover temp files from a crash mid-write: the previous version is intact, drop the partial one.
        if (file.endsWith('.tmp')) rmSync(join(dir, file), { force: true });
        continue;
      }
      try {
        const record = JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
        this.items.set(record.id, record);
      } catch (error) {
        this.log(`warning: ignoring unreadable record ${join(dir, file)}: ${(error as Error).message}`);
      }
    }
  }

  get(id: string): T | undefined {
    return this.items.get(id);
  }

  all(): T[] {
    return [...this.items.values()];
  }

  find(predicate: (item: T) => boolean): T | undefined {
    for (const item of this.items.values()) if (predicate(item)) return item;
    return undefined;
  }

  put(record: T): T {
    this.items.set(record.id, record);
    const path = join(this.dir, `${record.id}.json`);
    const body = `${JSON.stringify(record, null, 2)}\n`;
    this.enqueue(record.id, () => writeFileAtomicAsync(path, body));
    return record;
  }

  update(id: string, patch: Partial<T>): T {
    const current = this.items.get(id);
    if (!current) throw new Error(`no record ${id} in ${this.dir}`);
    return this.put({ ...current, ...patch });
  }

  delete(id: string): void {
    this.items.delete(id);
    this.enqueue(id, () => rm(join(this.dir, `${id}.json`), { force: true }));
  }

  /** Resolves when every write issued so far is on disk. */
  async flush(): Promise<void> {
    await Promise.all(this.chains.values());
  }

  private enqueue(id: string, write: () => Promise<void>): void {
    const next = (this.chains.get(id) ?? Promise.resolve())
      .then(write)
      .catch((error: unknown) =>
        this.log(`error: could not persist ${this.dir}/${id}.json: ${(error as Error)?.message ?? error}`),
      );
    this.chains.set(id, next);
    void next.then(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
  }
}
