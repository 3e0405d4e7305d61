import type { HandoffSettings } from '../../config/handoff.js';
import type { Logger } from '../../logger.js';
import type { CustomerNotices } from '../customer-notices.js';
import type { AgentEventBus } from '../event-bus.js';
import type { HandoffQueue } from '../queue/handoff-queue.js';

export interface HandoffSchedulerDeps {
  readonly queue: HandoffQueue;
  readonly bus: AgentEventBus;
  readonly notices: CustomerNotices;
  readonly settings: Pick<HandoffSettings, 'leaseMs' | 'positionIntervalMs'>;
  readonly logger: Logger;
  readonly now: () => number;
  /** True the first time a key is seen within `ms` (across processes with Redis). */
  readonly throttle?: ((key: string, ms: number) => Promise<boolean>) | undefined;
}

/**
 * The handoff's background work: the lease reaper (chats of agents whose heartbeat stopped go
 * back to the queue) and the waiting customers' position notices.
 */
export class HandoffScheduler {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly deps: HandoffSchedulerDeps) {}

  start(): void {
    // A third of the lease: a vanished agent's chat waits at most a lease and a third.
    const reapEvery = Math.max(200, Math.floor(this.deps.settings.leaseMs / 3));
    this.every(reapEvery, () => this.reapExpired());
    this.every(Math.max(1000, Math.floor(this.deps.settings.positionIntervalMs / 2)), () => this.notifyPositions());
  }

  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
  }

  /** Returns handoffs of vanished agents to their queue and tells the customers. */
  async reapExpired(): Promise<string[]> {
    const { queue, bus, notices } = this.deps;
    const ids = await queue.requeueExpired();
    for (const id of ids) {
      const record = await queue.get(id);
      if (record) await notices.tellPosition(record, 'agentLost');
    }
    if (ids.length) await bus.publish({ type: 'queue-changed' });
    return ids;
  }

  /** Tells each customer waiting longer than the interval where they stand, once per interval across processes. */
  async notifyPositions(): Promise<void> {
    const { queue, notices, throttle } = this.deps;
    const interval = this.deps.settings.positionIntervalMs;
    for (const id of await queue.waitingIds()) {
      const record = await queue.get(id);
      if (!record || record.state !== 'waiting') continue;
      if (this.deps.now() - record.enqueuedAt < interval) continue;
      if (throttle && !(await throttle(`position:${id}`, interval))) continue;
      await notices.tellPosition(record, 'position');
    }
  }

  /** Runs `task` every `ms`, never two at once (a slow Redis must not pile runs up). */
  private every(ms: number, task: () => Promise<unknown>): void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      task()
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'handoff background task failed'))
        .finally(() => (running = false));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
