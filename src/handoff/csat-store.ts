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
}

export class MemoryCsatStore implements CsatStore {
  private readonly entries: CsatEntry[] = [];

  async record(entry: CsatEntry): Promise<void> {
    this.entries.push(entry);
  }

  async list(): Promise<CsatEntry[]> {
    return [...this.entries];
  }
}
