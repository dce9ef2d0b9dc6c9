import { existsSync, readFileSync } from 'node:fs';
import { writeJsonAtomic } from './atomic-write.ts';

/**
 * A small piece of service state kept as one JSON file in the data directory (IAM roles, SNS topics,
 * EventBridge rules): read once, written atomically after each change, so a restart keeps what a user made
 * and a crash never leaves half a file.
 */
export class JsonDocument<T> {
  private value: T;

  constructor(
    private readonly path: string,
    initial: () => T,
  ) {
    this.value = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : initial();
  }

  get(): T {
    return this.value;
  }

  /** Applies a change and persists it; a change that throws leaves both memory and disk as they were. */
  update<R>(change: (draft: T) => R): R {
    const draft = structuredClone(this.value);
    const result = change(draft);
    writeJsonAtomic(this.path, draft);
    this.value = draft;
    return result;
  }
}
