import type { Locale } from '../../config.js';
import type { RedisClient } from '../../state/create-redis.js';
import type { HandoffKeys } from '../../state/redis-keys.js';
import type { QueueStats } from '../types.js';
import { enqueuedAtOf } from './handoff-queue.js';

/**
 * Reads of the waiting sets, one sorted set per skill and language scored by `queueScore`: the
 * order the records are claimed in, whatever BullMQ's tickets say.
 */
export class RedisWaitingSets {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: HandoffKeys,
  ) {}

  /** 1-based place of a waiting handoff in its queue. */
  async position(id: string): Promise<number | undefined> {
    const [state, skill, language] = await this.redis.hmget(this.keys.record(id), 'state', 'skill', 'language');
    if (state !== 'waiting') return undefined;
    const rank = await this.redis.zrank(this.keys.waiting(this.keys.queueName(skill ?? '', language ?? '')), id);
    return rank === null ? undefined : rank + 1;
  }

  async ids(): Promise<string[]> {
    const ids: string[] = [];
    for (const queue of await this.redis.smembers(this.keys.queues)) {
      for (const id of await this.redis.zrange(this.keys.waiting(queue), '0', '-1')) {
        // A record past its TTL leaves its place behind: drop it, or it would head the queue for ever.
        if (await this.redis.exists(this.keys.record(id))) ids.push(id);
        else await this.redis.zrem(this.keys.waiting(queue), id);
      }
    }
    return ids;
  }

  async stats(now: number): Promise<QueueStats[]> {
    const stats: QueueStats[] = [];
    for (const queue of await this.redis.smembers(this.keys.queues)) {
      const { skill, language } = this.keys.skillAndLanguage(queue);
      const scored = await this.redis.zrange(this.keys.waiting(queue), '0', '-1', 'WITHSCORES');
      let oldest = now;
      for (let i = 1; i < scored.length; i += 2) oldest = Math.min(oldest, enqueuedAtOf(Number(scored[i])));
      stats.push({ skill, language: language as Locale, waiting: scored.length / 2, oldestWaitMs: now - oldest });
    }
    return stats;
  }
}
