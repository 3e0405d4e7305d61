import type { ConversationReference } from 'botbuilder';
import type { Locale } from '../../config.js';
import type { ResolveOutcome } from '../queue/handoff-queue.js';
import type { HandoffReason } from '../types.js';

export type CallbackState = 'open' | 'claimed' | 'done';

/** A customer asked to be contacted when a skill's team is back (booked outside working hours). */
export interface CallbackRecord {
  readonly id: string;
  readonly state: CallbackState;
  readonly skill: string;
  readonly locale: Locale;
  readonly channelId: string;
  /** Where to reach the customer again (raw: a proactive message needs it). */
  readonly reference: Partial<ConversationReference>;
  readonly customer: { readonly id: string; readonly name?: string | undefined };
  readonly reason: HandoffReason;
  readonly intent?: string | undefined;
  /** What the customer wanted, redacted like every stored text. */
  readonly summary: { readonly wants: string; readonly lastMessage: string };
  readonly bookedAt: number;
  /** Gone (from every store) after this. */
  readonly expiresAt: number;
  readonly agentId?: string | undefined;
  readonly claimedAt?: number | undefined;
  readonly outcome?: { readonly disposition: string; readonly note?: string | undefined; readonly by: string; readonly at: number } | undefined;
}

export type NewCallback = Omit<CallbackRecord, 'state' | 'bookedAt' | 'expiresAt' | 'agentId' | 'claimedAt' | 'outcome'>;

export type CallbackActionResult =
  | { ok: true; record: CallbackRecord }
  | { ok: false; reason: 'not-found' | 'taken' | 'not-yours' | 'not-claimed' };

/**
 * Booked callbacks, listed for agents. Two implementations behind one contract
 * (test/handoff/callback-store.contract.ts): Redis (durable, shared by every process) and
 * in-process (embedded default). `claim` is atomic: of two agents claiming one callback, one
 * wins and the other hears `taken`. Every callback is forgotten `ttlMs` after it was booked.
 */
export interface CallbackStore {
  readonly durable: boolean;
  book(callback: NewCallback): Promise<CallbackRecord>;
  get(id: string): Promise<CallbackRecord | undefined>;
  /** Every callback not yet expired, oldest first. */
  list(): Promise<CallbackRecord[]>;
  claim(id: string, agentId: string): Promise<CallbackActionResult>;
  /** Only the agent who claimed it completes it. */
  complete(id: string, agentId: string, outcome: ResolveOutcome): Promise<CallbackActionResult>;
  /** Forgets every callback of a customer (erasure); resolves with how many went. */
  eraseUser(customerId: string): Promise<number>;
}

export interface CallbackStoreOptions {
  readonly ttlMs: number;
  readonly now?: () => number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The embedded callback store: this process's memory, not durable, not shared. */
export class MemoryCallbackStore implements CallbackStore {
  readonly durable = false;
  private readonly records = new Map<string, Mutable<CallbackRecord>>();
  private readonly now: () => number;

  constructor(private readonly options: CallbackStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  async book(callback: NewCallback): Promise<CallbackRecord> {
    this.sweep();
    const now = this.now();
    const record: CallbackRecord = { ...structuredClone(callback), state: 'open', bookedAt: now, expiresAt: now + this.options.ttlMs };
    this.records.set(record.id, record);
    return structuredClone(record);
  }

  async get(id: string): Promise<CallbackRecord | undefined> {
    this.sweep();
    const record = this.records.get(id);
    return record ? structuredClone(record) : undefined;
  }

  async list(): Promise<CallbackRecord[]> {
    this.sweep();
    return [...this.records.values()].sort((a, b) => a.bookedAt - b.bookedAt).map((r) => structuredClone(r));
  }

  async claim(id: string, agentId: string): Promise<CallbackActionResult> {
    this.sweep();
    const record = this.records.get(id);
    if (!record) return { ok: false, reason: 'not-found' };
    if (record.state !== 'open') return { ok: false, reason: 'taken' };
    Object.assign(record, { state: 'claimed', agentId, claimedAt: this.now() });
    return { ok: true, record: structuredClone(record) };
  }

  async complete(id: string, agentId: string, outcome: ResolveOutcome): Promise<CallbackActionResult> {
    this.sweep();
    const record = this.records.get(id);
    if (!record) return { ok: false, reason: 'not-found' };
    if (record.state !== 'claimed') return { ok: false, reason: 'not-claimed' };
    if (record.agentId !== agentId) return { ok: false, reason: 'not-yours' };
    Object.assign(record, { state: 'done', outcome: { ...outcome, by: agentId, at: this.now() } });
    return { ok: true, record: structuredClone(record) };
  }

  async eraseUser(customerId: string): Promise<number> {
    let erased = 0;
    for (const [id, record] of this.records) {
      if (record.customer.id !== customerId) continue;
      this.records.delete(id);
      erased += 1;
    }
    return erased;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, record] of this.records) if (record.expiresAt <= now) this.records.delete(id);
  }
}
