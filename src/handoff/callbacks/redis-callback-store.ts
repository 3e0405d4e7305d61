import type { RedisClient } from '../../state/create-redis.js';
import { defineScript, type RedisScript } from '../../state/lua-script.js';
import { RedisKeys } from '../../state/redis-keys.js';
import type { ResolveOutcome } from '../queue/handoff-queue.js';
import type { CallbackActionResult, CallbackRecord, CallbackState, CallbackStore, CallbackStoreOptions, NewCallback } from './callback-store.js';

/** Replies of callback-claim.lua and callback-complete.lua, by their number. */
const CLAIM_REASONS = { 1: 'not-found', 2: 'taken' } as const;
const COMPLETE_REASONS = { 1: 'not-found', 2: 'not-claimed', 3: 'not-yours' } as const;

export interface RedisCallbackStoreOptions extends CallbackStoreOptions {
  readonly redis: RedisClient;
  readonly keyPrefix: string;
}

/**
 * Callbacks on Redis: one hash per callback (expires with the callback), a sorted set of ids by
 * booking time for the agents' list, and a set per customer for erasure; both indexes expire
 * with the newest callback they name, and ids whose hash is gone are dropped when listed.
 */
export class RedisCallbackStore implements CallbackStore {
  readonly durable = true;
  private readonly redis: RedisClient;
  private readonly keys: RedisKeys;
  private readonly claimScript: RedisScript<number>;
  private readonly completeScript: RedisScript<number>;
  private readonly now: () => number;

  constructor(private readonly options: RedisCallbackStoreOptions) {
    this.redis = options.redis;
    this.keys = new RedisKeys(options.keyPrefix);
    this.claimScript = defineScript(this.redis, 'src/handoff/scripts/callback-claim.lua');
    this.completeScript = defineScript(this.redis, 'src/handoff/scripts/callback-complete.lua');
    this.now = options.now ?? Date.now;
  }

  async book(callback: NewCallback): Promise<CallbackRecord> {
    const now = this.now();
    const record: CallbackRecord = { ...callback, state: 'open', bookedAt: now, expiresAt: now + this.options.ttlMs };
    const key = this.key(record.id);
    const byUser = this.byUserKey(callback.customer.id);
    const ttl = this.options.ttlMs;
    await this.redis
      .multi()
      .hset(key, 'state', 'open', 'data', JSON.stringify(record))
      .pexpire(key, ttl)
      .zadd(this.indexKey(), String(now), record.id)
      .pexpire(this.indexKey(), ttl)
      .sadd(byUser, record.id)
      .pexpire(byUser, ttl)
      .exec();
    return record;
  }

  async get(id: string): Promise<CallbackRecord | undefined> {
    const record = parse(await this.redis.hgetall(this.key(id)));
    // Redis expires the hash on its own clock; the store's clock decides for the caller.
    return record && record.expiresAt > this.now() ? record : undefined;
  }

  async list(): Promise<CallbackRecord[]> {
    const now = this.now();
    await this.redis.zremrangebyscore(this.indexKey(), '-inf', String(now - this.options.ttlMs));
    const ids = await this.redis.zrange(this.indexKey(), '0', '-1');
    const records: CallbackRecord[] = [];
    for (const id of ids) {
      const record = await this.get(id);
      if (record) records.push(record);
      else await this.redis.zrem(this.indexKey(), id);
    }
    return records;
  }

  async claim(id: string, agentId: string): Promise<CallbackActionResult> {
    const result = await this.claimScript.run([this.keys.callback(id)], [agentId, this.now()]);
    return this.result(id, result, CLAIM_REASONS);
  }

  async complete(id: string, agentId: string, outcome: ResolveOutcome): Promise<CallbackActionResult> {
    const result = await this.completeScript.run([this.keys.callback(id)], [agentId, JSON.stringify({ ...outcome, by: agentId, at: this.now() })]);
    return this.result(id, result, COMPLETE_REASONS);
  }

  async eraseUser(customerId: string): Promise<number> {
    const byUser = this.byUserKey(customerId);
    const ids = await this.redis.smembers(byUser);
    let erased = 0;
    for (const id of ids) {
      erased += await this.redis.del(this.key(id));
      await this.redis.zrem(this.indexKey(), id);
    }
    await this.redis.del(byUser);
    return erased;
  }

  private async result(id: string, result: number, reasons: Record<number, 'not-found' | 'taken' | 'not-yours' | 'not-claimed'>): Promise<CallbackActionResult> {
    if (result !== 0) {
      const reason = reasons[result];
      if (!reason) throw new Error(`callback script answered ${result}`);
      return { ok: false, reason };
    }
    const record = await this.get(id);
    return record ? { ok: true, record } : { ok: false, reason: 'not-found' };
  }

  private key(id: string): string {
    return this.keys.callback(id);
  }

  private indexKey(): string {
    return this.keys.callbackIndex;
  }

  private byUserKey(customerId: string): string {
    return this.keys.callbacksOf(customerId);
  }
}

function parse(fields: Record<string, string>): CallbackRecord | undefined {
  if (!fields.state || !fields.data) return undefined;
  const record = JSON.parse(fields.data) as CallbackRecord;
  return {
    ...record,
    state: fields.state as CallbackState,
    ...(fields.agentId ? { agentId: fields.agentId, claimedAt: Number(fields.claimedAt) } : {}),
    ...(fields.outcome ? { outcome: JSON.parse(fields.outcome) as CallbackRecord['outcome'] } : {}),
  };
}
