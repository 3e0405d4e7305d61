import type { RedisClient } from '../../state/create-redis.js';
import type { HandoffKeys } from '../../state/redis-keys.js';
import { HANDLE_TIMES_KEPT } from './handoff-queue.js';

const LAST_AGENT_TTL_SECONDS = 90 * 24 * 60 * 60;
const HANDLE_TIMES_TTL_SECONDS = 30 * 24 * 60 * 60;

/**
 * What routing remembers beyond one handoff, each with a TTL: the recent handle times of a skill
 * (for wait estimates) and the agent who last served a customer (affinity).
 */
export class RedisRoutingMemory {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: HandoffKeys,
  ) {}

  async recordHandleTime(skill: string, ms: number): Promise<void> {
    const key = this.keys.handleTimes(skill);
    await this.redis.multi().lpush(key, String(Math.round(ms))).ltrim(key, 0, HANDLE_TIMES_KEPT - 1).expire(key, HANDLE_TIMES_TTL_SECONDS).exec();
  }

  async averageHandleMs(skill: string): Promise<number | undefined> {
    const list = await this.redis.lrange(this.keys.handleTimes(skill), 0, -1);
    if (!list.length) return undefined;
    return list.reduce((sum, value) => sum + Number(value), 0) / list.length;
  }

  async lastAgent(customerKey: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.lastAgent(customerKey))) ?? undefined;
  }

  async setLastAgent(customerKey: string, agentId: string): Promise<void> {
    await this.redis.set(this.keys.lastAgent(customerKey), agentId, 'EX', LAST_AGENT_TTL_SECONDS);
  }
}
