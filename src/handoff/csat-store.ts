export interface CsatEntry {
  readonly handoffId: string;
  readonly agentId?: string | undefined;
  readonly skill: string;
  readonly channelId: string;
  readonly customerId: string;
  /** 1 (poor) … 5 (excellent). */
  readonly score: number;
  readonly comment?: string | undefined;
  readonly at: string;
}

/** Where CSAT answers go; analytics persists them later. */
export interface CsatStore {
  record(entry: CsatEntry): Promise<void>;
  list(): Promise<CsatEntry[]>;
  /** Erasure: forgets a customer's answers; resolves with how many went. */
  eraseUser(customerId: string): Promise<number>;
}

/**
 * The latest answers in memory, bounded so a long-running process does not grow with every
 * survey; the durable record is the analytics store (it hears every answer as a lifecycle event).
 */
export class MemoryCsatStore implements CsatStore {
  private readonly entries: CsatEntry[] = [];

  constructor(private readonly limit = 1000) {}

  async record(entry: CsatEntry): Promise<void> {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  async list(): Promise<CsatEntry[]> {
    return [...this.entries];
  }

  async eraseUser(customerId: string): Promise<number> {
    const before = this.entries.length;
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]!.customerId === customerId) this.entries.splice(i, 1);
    return before - this.entries.length;
  }
}
