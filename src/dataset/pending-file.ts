import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';

/**
 * An output file that appears only when complete (split, convert): lines stream into a temporary file
 * next to `path`; `commit` renames it over `path`, `discard` deletes it. A failure never leaves a
 * half-written output.
 */
export class PendingFile {
  private readonly tmp: string;
  private readonly stream: WriteStream;

  constructor(readonly path: string) {
    this.tmp = `${path}.tmp-${process.pid}`;
    this.stream = createWriteStream(this.tmp);
  }

  /** Appends one line (and its newline); waits only when the stream's buffer is full. */
  async writeLine(text: string): Promise<void> {
    if (!this.stream.write(`${text}\n`)) await once(this.stream, 'drain');
  }

  /** Flushes and closes the temporary file. */
  close(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())),
    );
  }

  /** Moves the closed temporary file to `path`. */
  commit(): Promise<void> {
    return rename(this.tmp, this.path);
  }

  discard(): Promise<void> {
    this.stream.destroy();
    return rm(this.tmp, { force: true });
  }
}
