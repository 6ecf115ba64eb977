/**
 * Writes items in batches, behind the work that produced them: an item waits `delayMs` for others
 * to join it, and the items added while a write is in flight go together in the next, so under
 * load one statement carries many (a round trip saved per item). Each item's promise settles when
 * the write that carried it succeeds or fails; a failed write does not stop later ones.
 */
export class WriteBehind<T> {
  private pending: Array<{ item: T; settle: (err?: unknown) => void }> = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly write: (items: T[]) => Promise<unknown>,
    private readonly delayMs: number,
  ) {}

  add(item: T): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.pending.push({ item, settle: (err) => (err === undefined ? resolve() : reject(err)) });
    });
    this.writing ??= new Promise<void>((resolve) => setTimeout(resolve, this.delayMs)).then(() => this.writeAll());
    return done;
  }

  /** Resolves once every item added so far is written (or its write has failed). */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async writeAll(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        try {
          await this.write(batch.map((b) => b.item));
          for (const b of batch) b.settle();
        } catch (err) {
          for (const b of batch) b.settle(err ?? new Error('write failed'));
        }
      }
    } finally {
      this.writing = null;
    }
  }
}
