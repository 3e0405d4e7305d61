import { expect } from 'chai';
import type { HandoffQueue } from '../../src/handoff/queue/handoff-queue.js';
import type { AgentRouting } from '../../src/handoff/types.js';
import { newHandoff, type QueueFactory, type QueueFixture } from './support.js';

const english: AgentRouting = { id: 'ann', skills: ['general'], languages: ['en'] };
const cantonese: AgentRouting = { id: 'kit', skills: ['general', 'cards'], languages: ['zh-HK', 'en'] };
const mandarin: AgentRouting = { id: 'li', skills: ['general'], languages: ['zh-CN'] };

/** The behaviour every HandoffQueue implementation shares. */
export function handoffQueueContract(name: string, factory: QueueFactory): void {
  describe(`HandoffQueue contract: ${name}`, () => {
    let fixture: QueueFixture;
    afterEach(async () => fixture?.close());

    it('hands a waiting handoff to one agent, with its payload, and only once', async () => {
      fixture = await factory();
      const h = await fixture.queue.enqueue(newHandoff());
      expect(h.state).to.equal('waiting');
      expect(await fixture.queue.position(h.id)).to.equal(1);
      const claimed = await fixture.queue.claimNext(english);
      expect(claimed?.id).to.equal(h.id);
      expect(claimed?.state).to.equal('assigned');
      expect(claimed?.agentId).to.equal('ann');
      expect(claimed?.payload.summary.wants).to.equal('help');
      expect(await fixture.queue.claimNext(cantonese)).to.equal(undefined);
      expect(await fixture.queue.position(h.id)).to.equal(undefined);
    });

    it('routes by language: a Cantonese customer only reaches a Cantonese-speaking agent', async () => {
      fixture = await factory();
      const h = await fixture.queue.enqueue(newHandoff({ language: 'zh-HK' }));
      expect(await fixture.queue.claimNext(english)).to.equal(undefined);
      expect(await fixture.queue.claimNext(mandarin)).to.equal(undefined);
      expect((await fixture.queue.claimNext(cantonese))?.id).to.equal(h.id);
    });

    it('routes by skill', async () => {
      fixture = await factory();
      const h = await fixture.queue.enqueue(newHandoff({ skill: 'cards' }));
      expect(await fixture.queue.claimNext(english)).to.equal(undefined);
      expect((await fixture.queue.claimNext(cantonese))?.id).to.equal(h.id);
    });

    it('serves higher priority first, then the longest wait', async () => {
      fixture = await factory();
      const first = await fixture.queue.enqueue(newHandoff({ priority: 5 }));
      fixture.advance(10);
      const second = await fixture.queue.enqueue(newHandoff({ priority: 5 }));
      fixture.advance(10);
      const urgent = await fixture.queue.enqueue(newHandoff({ priority: 1 }));
      expect(await fixture.queue.position(urgent.id)).to.equal(1);
      expect(await fixture.queue.position(second.id)).to.equal(3);
      const order = [];
      for (let i = 0; i < 3; i++) order.push((await fixture.queue.claimNext(english))?.id);
      expect(order).to.deep.equal([urgent.id, first.id, second.id]);
    });

    it('offers a reserved handoff to the affinity agent only, until the window ends', async () => {
      fixture = await factory();
      const h = await fixture.queue.enqueue(newHandoff({ reservedFor: 'kit', reservedUntil: Date.now() + 60_000 }));
      expect(await fixture.queue.claimNext(english)).to.equal(undefined);
      fixture.advance(61_000);
      expect((await fixture.queue.claimNext(english))?.id).to.equal(h.id);
    });

    it('gives the affinity agent their reserved handoff first', async () => {
      fixture = await factory();
      await fixture.queue.enqueue(newHandoff({ priority: 1 }));
      const mine = await fixture.queue.enqueue(newHandoff({ priority: 9, reservedFor: 'kit', reservedUntil: Date.now() + 60_000 }));
      expect((await fixture.queue.claimNext(cantonese))?.id).to.equal(mine.id);
    });

    it('returns the handoff of an agent who stops heart-beating to the queue, with its context', async () => {
      fixture = await factory({ leaseMs: 5000 });
      const h = await fixture.queue.enqueue(newHandoff());
      await fixture.queue.appendMessage(h.id, { id: 'm1', from: 'customer', text: 'still there?', at: new Date().toISOString() });
      await fixture.queue.claimNext(english);
      fixture.advance(3000);
      await fixture.queue.heartbeat('ann');
      fixture.advance(3000);
      expect(await fixture.queue.requeueExpired()).to.deep.equal([]);
      fixture.advance(3000);
      expect(await fixture.queue.requeueExpired()).to.deep.equal([h.id]);
      expect((await fixture.queue.get(h.id))?.state).to.equal('waiting');
      const again = await fixture.queue.claimNext(cantonese);
      expect(again?.id).to.equal(h.id);
      expect(again?.agentId).to.equal('kit');
      expect(again?.payload.summary.lastMessage).to.equal('help');
      expect((await fixture.queue.messages(h.id)).map((m) => m.text)).to.deep.equal(['still there?']);
      expect(await fixture.queue.heldBy('kit')).to.deep.equal([h.id]);
      expect(await fixture.queue.heldBy('ann')).to.deep.equal([]);
    });

    it('transfers to another skill queue; only the holder may transfer or resolve', async () => {
      fixture = await factory();
      const h = await fixture.queue.enqueue(newHandoff());
      await fixture.queue.claimNext(english);
      expect(await fixture.queue.transfer(h.id, 'kit', 'cards')).to.deep.equal({ ok: false, reason: 'not-yours' });
      const moved = await fixture.queue.transfer(h.id, 'ann', 'cards');
      expect(moved.ok && moved.record.skill).to.equal('cards');
      expect(await fixture.queue.claimNext(english)).to.equal(undefined);
      const taken = await fixture.queue.claimNext(cantonese);
      expect(taken?.id).to.equal(h.id);
      const resolved = await fixture.queue.resolve(h.id, 'kit', { disposition: 'solved', note: 'card blocked' });
      expect(resolved.ok && resolved.record.outcome?.disposition).to.equal('solved');
      expect(await fixture.queue.resolve(h.id, 'kit', { disposition: 'solved' })).to.deep.equal({ ok: false, reason: 'not-assigned' });
    });

    it('refuses to resolve another agent\'s handoff, atomically in the store, and changes nothing', async () => {
      fixture = await factory();
      const h = await fixture.queue.enqueue(newHandoff());
      await fixture.queue.claimNext(english);
      expect(await fixture.queue.resolve(h.id, 'kit', { disposition: 'solved', note: 'not mine' })).to.deep.equal({ ok: false, reason: 'not-yours' });
      const after = await fixture.queue.get(h.id);
      expect(after?.state).to.equal('assigned');
      expect(after?.agentId).to.equal('ann');
      expect(after?.outcome).to.equal(undefined);
      expect(await fixture.queue.heldBy('ann')).to.deep.equal([h.id]);
      const resolved = await fixture.queue.resolve(h.id, 'ann', { disposition: 'solved' });
      expect(resolved.ok && resolved.record.outcome?.by).to.equal('ann');
    });

    it('cancels a waiting handoff: nobody can accept it afterwards', async () => {
      fixture = await factory();
      const h = await fixture.queue.enqueue(newHandoff());
      expect((await fixture.queue.cancel(h.id))?.state).to.equal('waiting');
      expect((await fixture.queue.get(h.id))?.state).to.equal('cancelled');
      expect(await fixture.queue.claimNext(english)).to.equal(undefined);
      expect(await fixture.queue.waitingIds()).to.deep.equal([]);
    });

    it('keeps messages and their delivery status, stats, handle times and the last agent', async () => {
      fixture = await factory();
      const h = await fixture.queue.enqueue(newHandoff({ language: 'zh-HK' }));
      await fixture.queue.appendMessage(h.id, { id: 'a1', from: 'agent', text: 'hi', at: 'x', delivery: 'pending' });
      await fixture.queue.setDelivery(h.id, 'a1', 'failed', 'channel down');
      expect((await fixture.queue.messages(h.id))[0]).to.include({ delivery: 'failed', error: 'channel down' });
      fixture.advance(5000);
      const stats = (await fixture.queue.stats()).find((s) => s.language === 'zh-HK');
      expect(stats?.waiting).to.equal(1);
      expect(stats?.oldestWaitMs).to.be.at.least(5000);
      await fixture.queue.recordHandleTime('general', 1000);
      await fixture.queue.recordHandleTime('general', 3000);
      expect(await fixture.queue.averageHandleMs('general')).to.equal(2000);
      expect(await fixture.queue.averageHandleMs('cards')).to.equal(undefined);
      await fixture.queue.setLastAgent('test/u1', 'kit');
      expect(await fixture.queue.lastAgent('test/u1')).to.equal('kit');
      await fixture.queue.heartbeat('kit');
      expect(await fixture.queue.isOnline('kit')).to.equal(true);
      expect(await fixture.queue.isOnline('ann')).to.equal(false);
    });

    it('under 20 agents claiming at once, each of 100 handoffs is accepted exactly once', async () => {
      fixture = await factory();
      const { enqueued, accepted } = await floodOfClaims(fixture.queue, 100, 20);
      expect(accepted).to.have.length(100);
      expect(new Set(accepted)).to.deep.equal(enqueued);
    });

    it('accepts a previewed handoff by id only for an agent of its skill and language, once', async () => {
      fixture = await factory();
      const h = await fixture.queue.enqueue(newHandoff({ language: 'zh-HK' }));
      const other = await fixture.queue.enqueue(newHandoff({ language: 'zh-HK' }));
      expect(await fixture.queue.claim(h.id, english)).to.equal(undefined);
      const claimed = await fixture.queue.claim(h.id, cantonese);
      expect(claimed?.state).to.equal('assigned');
      expect(claimed?.agentId).to.equal('kit');
      expect(await fixture.queue.claim(h.id, cantonese)).to.equal(undefined);
      // The stale ticket of the claimed handoff is skipped: the next claim gets the other one.
      expect((await fixture.queue.claimNext({ ...cantonese, id: 'sam' }))?.id).to.equal(other.id);
      expect(await fixture.queue.claimNext({ ...cantonese, id: 'sam' })).to.equal(undefined);
      expect(await fixture.queue.heldBy('kit')).to.deep.equal([h.id]);
    });

    it('refuses a previewed handoff reserved for another agent', async () => {
      fixture = await factory();
      const h = await fixture.queue.enqueue(newHandoff({ reservedFor: 'kit', reservedUntil: Date.now() + 60_000 }));
      expect(await fixture.queue.claim(h.id, english)).to.equal(undefined);
      expect((await fixture.queue.claim(h.id, cantonese))?.agentId).to.equal('kit');
    });

    it('reassigns an assigned handoff to another agent, who then holds it and its lease', async () => {
      fixture = await factory({ leaseMs: 5000 });
      const h = await fixture.queue.enqueue(newHandoff());
      const waiting = await fixture.queue.enqueue(newHandoff());
      expect(await fixture.queue.reassign(waiting.id, 'kit')).to.deep.equal({ ok: false, reason: 'not-assigned' });
      expect(await fixture.queue.reassign('nope', 'kit')).to.deep.equal({ ok: false, reason: 'not-found' });
      await fixture.queue.claim(h.id, english);
      const moved = await fixture.queue.reassign(h.id, 'kit');
      expect(moved.ok && moved.record.agentId).to.equal('kit');
      expect(await fixture.queue.heldBy('ann')).to.deep.equal([]);
      expect(await fixture.queue.heldBy('kit')).to.deep.equal([h.id]);
      expect(await fixture.queue.assignedIds()).to.deep.equal([h.id]);
      expect((await fixture.queue.resolve(h.id, 'ann', { disposition: 'solved' })).ok).to.equal(false);
      // The new holder's heart-beat keeps it; the old one's does not.
      fixture.advance(3000);
      await fixture.queue.heartbeat('kit');
      fixture.advance(3000);
      expect(await fixture.queue.requeueExpired()).to.deep.equal([]);
      expect((await fixture.queue.resolve(h.id, 'kit', { disposition: 'solved' })).ok).to.equal(true);
      expect(await fixture.queue.assignedIds()).to.deep.equal([]);
    });

    it('lists a customer\'s handoffs, oldest first', async () => {
      fixture = await factory();
      const first = await fixture.queue.enqueue(newHandoff());
      fixture.advance(10);
      const second = await fixture.queue.enqueue(newHandoff());
      expect(await fixture.queue.customerHandoffIds(first.payload.customer.id)).to.deep.equal([first.id, second.id]);
      expect(await fixture.queue.customerHandoffIds('nobody')).to.deep.equal([]);
    });
  });
}

/** Enqueues `handoffs` handoffs, then lets `agents` agents claim at once until the queue is empty. */
export async function floodOfClaims(queue: HandoffQueue, handoffs: number, agents: number): Promise<{ enqueued: Set<string>; accepted: string[] }> {
  const enqueued = new Set<string>();
  await Promise.all(Array.from({ length: handoffs }, async () => enqueued.add((await queue.enqueue(newHandoff())).id)));
  const accepted: string[] = [];
  await Promise.all(
    Array.from({ length: agents }, async (_, n) => {
      const agent = { id: `agent-${n}`, skills: ['general'], languages: ['en' as const] };
      for (;;) {
        const h = await queue.claimNext(agent);
        if (!h) return;
        accepted.push(h.id);
      }
    }),
  );
  return { enqueued, accepted };
}
