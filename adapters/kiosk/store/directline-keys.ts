/**
 * Every Redis key and channel of the kiosk channel's Direct Line store. A conversation's keys share
 * one hash tag (its id), so its script runs on one Redis Cluster node.
 */
export class DirectLineKeys {
  constructor(private readonly prefix: string) {}

  conversation(id: string): string {
    return `${this.prefix}:directline:{${id}}:conversation`;
  }

  log(id: string): string {
    return `${this.prefix}:directline:{${id}}:log`;
  }

  /** The conversations a visitor had (for erasure). */
  user(userId: string): string {
    return `${this.prefix}:directline:user:{${userId}}`;
  }

  /** Sorted set: conversation id → when it was last used (to find clients that left). */
  get lastUsed(): string {
    return `${this.prefix}:directline:last-used`;
  }

  /** Pub/sub channel every process listens on for appended activities. */
  get activities(): string {
    return `${this.prefix}:directline:activities`;
  }
}
