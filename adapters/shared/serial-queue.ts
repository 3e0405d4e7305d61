/**
 * Runs tasks one after another per key, in the order they were added. Inbound messages go
 * through it from the moment the platform emits them, so the async parsing of a long message
 * cannot let a later short one overtake it before the core's ConversationOrderMiddleware sees them.
 */
export class SerialQueue {
  /** One entry per chat with a task under way: each leaves when its last task settles. */
  private readonly tails = new Map<string, Promise<void>>();

  run(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return current;
  }

  /** Resolves when every task queued so far has finished. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
