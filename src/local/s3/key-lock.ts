/**
 * Serialises async critical sections per name (e.g. "bucket/key"), in arrival order. Conditional writes
 * decide and commit inside one section, so among concurrent `If-Match` writers exactly one sees each ETag.
 */
export class KeyLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(name: string, section: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.tails.set(name, tail);
    await previous;
    try {
      return await section();
    } finally {
      release();
      // Forget the name once nobody queues behind us, so the map does not grow with every key ever written.
      if (this.tails.get(name) === tail) this.tails.delete(name);
    }
  }
}
