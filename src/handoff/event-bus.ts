import { EventEmitter } from 'node:events';
import type { RedisClient } from '../state/create-redis.js';
import type { Logger } from '../logger.js';
import type { HandoffMessage, MessageDelivery } from './types.js';
import { RedisKeys } from '../state/redis-keys.js';

/** What agents hear about, whichever process it happened in. */
export type AgentEvent =
  | { type: 'customer-message'; handoffId: string; agentId?: string | undefined; message: HandoffMessage }
  /** `by`: the agent accepted it themselves, it was auto-assigned, or a supervisor reassigned it (the console alerts on the last two). */
  | { type: 'assigned'; handoffId: string; agentId: string; by?: 'agent' | 'auto' | 'supervisor' | undefined }
  /** A supervisor moved the chat to someone else: the agent's console drops it. */
  | { type: 'unassigned'; handoffId: string; agentId: string }
  | { type: 'delivery'; handoffId: string; agentId?: string | undefined; messageId: string; delivery: MessageDelivery; error?: string | undefined }
  | { type: 'cancelled'; handoffId: string; agentId?: string | undefined }
  | { type: 'queue-changed' };

export interface AgentEventBus {
  publish(event: AgentEvent): Promise<void>;
  subscribe(listener: (event: AgentEvent) => void): () => void;
  close(): Promise<void>;
}

export class MemoryEventBus implements AgentEventBus {
  private readonly emitter = new EventEmitter();

  async publish(event: AgentEvent): Promise<void> {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: AgentEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/** Redis pub/sub, so an agent connected to one process hears what happened in another. */
export class RedisEventBus implements AgentEventBus {
  private readonly local = new MemoryEventBus();
  private readonly channel: string;

  constructor(
    private readonly publisher: RedisClient,
    private readonly subscriber: RedisClient,
    keyPrefix: string,
    logger: Logger,
  ) {
    this.channel = new RedisKeys(keyPrefix).handoffEvents;
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      try {
        void this.local.publish(JSON.parse(raw) as AgentEvent);
      } catch (error) {
        logger.warn({ err: error }, 'unreadable agent event');
      }
    });
    subscriber.subscribe(this.channel).catch((error: unknown) => logger.error({ err: error }, 'could not subscribe to agent events'));
  }

  async publish(event: AgentEvent): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(event));
  }

  subscribe(listener: (event: AgentEvent) => void): () => void {
    return this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.local.close();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }
}
