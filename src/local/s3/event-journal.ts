import { createReadStream } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ObjectCreatedEvent } from './object-store.port.ts';

/**
 * The append-only journal of object-created events (`<dataDir>/s3/events.jsonl`), so a trigger that was
 * down can catch up with `readEventsSince`. Sequencers are fixed-width hex, increasing across restarts.
 * Each line is written with one write(2) and fdatasync'd before listeners hear of the event.
 */
const SEQ_WIDTH = 16;
export const journalPath = (dataDir: string) => join(dataDir, 's3', 'events.jsonl');

const formatSeq = (n: bigint) => n.toString(16).toUpperCase().padStart(SEQ_WIDTH, '0');
const parseSeq = (s: string): bigint => (/^[0-9A-Fa-f]{1,32}$/.test(s) ? BigInt(`0x${s}`) : -1n);

export class EventJournal {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly fh: FileHandle,
    private last: bigint,
  ) {}

  static async open(path: string): Promise<EventJournal> {
    const fh = await open(path, 'a+');
    const { size } = await fh.stat();
    // Only the tail matters: the last complete line holds the highest sequencer.
    const tailSize = Math.min(size, 64 * 1024);
    const tail = Buffer.alloc(tailSize);
    if (tailSize > 0) await fh.read(tail, 0, tailSize, size - tailSize);
    let last = 0n;
    for (const line of tail.toString('utf8').split('\n').reverse()) {
      const seq = parseLine(line)?.sequencer;
      if (seq !== undefined) {
        last = parseSeq(seq);
        break;
      }
    }
    // A kill -9 mid-append can leave a torn last line; start the next event on a fresh line.
    if (tailSize > 0 && tail[tailSize - 1] !== 0x0a) await fh.write('\n');
    return new EventJournal(fh, last);
  }

  /** Assigns the next sequencer, appends durably, and returns the full event. */
  append(event: Omit<ObjectCreatedEvent, 'sequencer'>): Promise<ObjectCreatedEvent> {
    const next = this.chain.then(async () => {
      const full: ObjectCreatedEvent = { ...event, sequencer: formatSeq(this.last + 1n) };
      await this.fh.write(`${JSON.stringify(full)}\n`);
      await this.fh.datasync();
      this.last += 1n;
      return full;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.chain;
    await this.fh.close();
  }
}

function parseLine(line: string): ObjectCreatedEvent | undefined {
  if (line.trim() === '') return undefined;
  try {
    const e = JSON.parse(line) as ObjectCreatedEvent;
    return typeof e.sequencer === 'string' && typeof e.key === 'string' ? e : undefined;
  } catch {
    return undefined; // a torn line from a crash
  }
}

/**
 * Events with a sequencer greater than `since` (all events when omitted), oldest first. Reads the journal
 * of a data dir directly, so it works whether or not the service is running.
 */
export async function readEventsSince(dataDir: string, since?: string): Promise<ObjectCreatedEvent[]> {
  const path = journalPath(dataDir);
  try {
    await stat(path);
  } catch {
    return [];
  }
  const floor = since === undefined ? -1n : parseSeq(since);
  const events: ObjectCreatedEvent[] = [];
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    const event = parseLine(line);
    if (event !== undefined && parseSeq(event.sequencer) > floor) events.push(event);
  }
  return events;
}
