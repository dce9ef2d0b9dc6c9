import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../atomic-write.ts';

/**
 * A write-through map of records, one JSON file per record, each write atomic (temp + fsync + rename).
 * Reads are served from memory, so control-plane calls stay fast while a job trains.
 */
export class Collection<T extends { id: string }> {
  private readonly items = new Map<string, T>();

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
    writeJsonAtomic(join(this.dir, `${record.id}.json`), record);
    this.items.set(record.id, record);
    return record;
  }

  update(id: string, patch: Partial<T>): T {
    const current = this.items.get(id);
    if (!current) throw new Error(`no record ${id} in ${this.dir}`);
    return this.put({ ...current, ...patch });
  }

  delete(id: string): void {
    rmSync(join(this.dir, `${id}.json`), { force: true });
    this.items.delete(id);
  }
}
