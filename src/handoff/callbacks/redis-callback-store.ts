import type { Redis } from 'ioredis';
import type { ResolveOutcome } from '../queue/handoff-queue.js';
import type { CallbackActionResult, CallbackRecord, CallbackState, CallbackStore, CallbackStoreOptions, NewCallback } from './callback-store.js';

/**
 * KEYS: callback hash. ARGV: agent, now.
 * Returns 'ok', 'not-found' or 'taken' (already claimed or done).
 */
const CLAIM = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 'not-found' end
if state ~= 'open' then return 'taken' end
redis.call('HSET', KEYS[1], 'state', 'claimed', 'agentId', ARGV[1], 'claimedAt', ARGV[2])
return 'ok'
`;

/**
 * KEYS: callback hash. ARGV: agent, outcome JSON.
 * Returns 'ok', 'not-found', 'not-claimed' or 'not-yours'.
 */
const COMPLETE = `
local f = redis.call('HMGET', KEYS[1], 'state', 'agentId')
if not f[1] then return 'not-found' end
if f[1] ~= 'claimed' then return 'not-claimed' end
if f[2] ~= ARGV[1] then return 'not-yours' end
redis.call('HSET', KEYS[1], 'state', 'done', 'outcome', ARGV[2])
return 'ok'
`;

export interface RedisCallbackStoreOptions extends CallbackStoreOptions {
  readonly redis: Redis;
  readonly keyPrefix: string;
}

/**
 * Callbacks on Redis: one hash per callback (expires with the callback), a sorted set of ids by
 * booking time for the agents' list, and a set per customer for erasure; both indexes expire
 * with the newest callback they name, and ids whose hash is gone are dropped when listed.
 */
export class RedisCallbackStore implements CallbackStore {
  readonly durable = true;
  private readonly redis: Redis;
  private readonly base: string;
  private readonly now: () => number;

  constructor(private readonly options: RedisCallbackStoreOptions) {
    this.redis = options.redis;
    this.base = `${options.keyPrefix}:handoff:callback`;
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
    const result = (await this.redis.eval(CLAIM, 1, this.key(id), agentId, String(this.now()))) as string;
    return this.result(id, result);
  }

  async complete(id: string, agentId: string, outcome: ResolveOutcome): Promise<CallbackActionResult> {
    const result = (await this.redis.eval(COMPLETE, 1, this.key(id), agentId, JSON.stringify({ ...outcome, by: agentId, at: this.now() }))) as string;
    return this.result(id, result);
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

  private async result(id: string, result: string): Promise<CallbackActionResult> {
    if (result !== 'ok') return { ok: false, reason: result as 'not-found' | 'taken' | 'not-yours' | 'not-claimed' };
    const record = await this.get(id);
    return record ? { ok: true, record } : { ok: false, reason: 'not-found' };
  }

  private key(id: string): string {
    return `${this.base}:${id}`;
  }

  private indexKey(): string {
    return `${this.base}s`;
  }

  private byUserKey(customerId: string): string {
    return `${this.base}s:user:${customerId}`;
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
