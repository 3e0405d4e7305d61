import type { RedisClient } from '../state/create-redis.js';
import { RedisKeys } from '../state/redis-keys.js';

/** What an agent says about themselves; "busy" and "offline" are derived (load, presence). */
export type AgentAvailability = 'available' | 'away';

/** Agents' own availability, shared by every process when Redis is configured. */
export interface AgentStatusStore {
  get(agentId: string): Promise<AgentAvailability>;
  set(agentId: string, availability: AgentAvailability): Promise<void>;
}

export class MemoryAgentStatusStore implements AgentStatusStore {
  private readonly away = new Set<string>();

  async get(agentId: string): Promise<AgentAvailability> {
    return this.away.has(agentId) ? 'away' : 'available';
  }

  async set(agentId: string, availability: AgentAvailability): Promise<void> {
    if (availability === 'away') this.away.add(agentId);
    else this.away.delete(agentId);
  }
}

export class RedisAgentStatusStore implements AgentStatusStore {
  private readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    keyPrefix: string,
  ) {
    this.key = new RedisKeys(keyPrefix).agentsAway;
  }

  async get(agentId: string): Promise<AgentAvailability> {
    return (await this.redis.sismember(this.key, agentId)) ? 'away' : 'available';
  }

  async set(agentId: string, availability: AgentAvailability): Promise<void> {
    if (availability === 'away') await this.redis.sadd(this.key, agentId);
    else await this.redis.srem(this.key, agentId);
  }
}
