import { join } from 'node:path';
import { expect } from 'chai';
import { AgentDirectory } from '../../src/agent/agent-directory.js';
import { CustomerNotices } from '../../src/handoff/customer-notices.js';
import { MemoryEventBus, type AgentEvent } from '../../src/handoff/event-bus.js';
import type { OutboundDelivery, OutboundMessage } from '../../src/channels/outbound/outbound-delivery.js';
import { MemoryHandoffQueue } from '../../src/handoff/queue/memory-handoff-queue.js';
import { HandoffScheduler } from '../../src/handoff/scheduler/handoff-scheduler.js';
import { createI18n } from '../../src/i18n/create-i18n.js';
import { projectRoot } from '../../src/project-root.js';
import { memoryLogger } from '../support/silent-logger.js';
import { manualClock, newHandoff } from './support.js';

const LEASE_MS = 10_000;
const POSITION_MS = 60_000;
const ann = { id: 'ann', skills: ['general'], languages: ['en' as const] };

/** The scheduler's two jobs, driven by hand (no timers): the lease reaper and the position notices. */
describe('handoff scheduler', () => {
  async function setup(throttle?: (key: string, ms: number) => Promise<boolean>) {
    const clock = manualClock();
    const queue = new MemoryHandoffQueue({ leaseMs: LEASE_MS, now: clock.now });
    const sent: OutboundMessage[] = [];
    const outbound = { enqueue: async (message: OutboundMessage) => void sent.push(message) } as unknown as OutboundDelivery;
    const bus = new MemoryEventBus();
    const events: AgentEvent[] = [];
    bus.subscribe((event) => void events.push(event));
    const { logger } = memoryLogger('silent');
    const i18n = await createI18n(join(projectRoot(), 'locales'), 'en');
    const notices = new CustomerNotices({ queue, outbound, agents: new AgentDirectory([]), i18n, logger });
    const scheduler = new HandoffScheduler({ queue, bus, notices, logger, now: clock.now, throttle, settings: { leaseMs: LEASE_MS, positionIntervalMs: POSITION_MS } });
    return { clock, queue, sent, events, scheduler };
  }

  it('returns a chat whose agent stopped heartbeating to the queue and tells the customer they are back in line', async () => {
    const { clock, queue, sent, events, scheduler } = await setup();
    const held = await queue.enqueue(newHandoff());
    await queue.claim(held.id, ann);
    expect(await scheduler.reapExpired()).to.deep.equal([]);
    expect(sent).to.have.length(0);

    clock.advance(LEASE_MS + 1);
    expect(await scheduler.reapExpired()).to.deep.equal([held.id]);
    expect((await queue.get(held.id))?.state).to.equal('waiting');
    expect(sent.map((m) => m.activities[0]?.text)).to.deep.equal(["Your agent was disconnected; you're back in line at number 1."]);
    expect(sent[0]?.origin).to.deep.equal({ kind: 'system', handoffId: held.id });
    expect(events.map((e) => e.type)).to.include('queue-changed');
  });

  it('tells only customers waiting longer than the interval where they stand, and only once per interval when throttled', async () => {
    const seen = new Set<string>();
    const { clock, queue, sent, scheduler } = await setup(async (key) => !seen.has(key) && Boolean(seen.add(key)));
    const early = await queue.enqueue(newHandoff());
    clock.advance(POSITION_MS);
    await queue.enqueue(newHandoff());
    await scheduler.notifyPositions();
    expect(sent.map((m) => m.origin.handoffId)).to.deep.equal([early.id]);
    expect(sent[0]?.activities[0]?.text).to.match(/^Still waiting: you're number 1 in line/);

    await scheduler.notifyPositions();
    expect(sent, 'the throttle holds the second notice back').to.have.length(1);
  });
});
