import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { CallbackStore, NewCallback } from '../../src/handoff/callbacks/callback-store.js';

export interface CallbackFixture {
  store: CallbackStore;
  advance(ms: number): void;
  close(): Promise<void>;
}

export type CallbackFactory = (ttlMs: number) => Promise<CallbackFixture>;

export function newCallback(overrides: Partial<NewCallback> = {}): NewCallback {
  const id = randomUUID();
  return {
    id,
    skill: 'mortgage',
    locale: 'en',
    channelId: 'test',
    reference: { channelId: 'test', conversation: { id: `c-${id}`, isGroup: false, conversationType: 'personal', name: '' }, user: { id: 'eve', name: 'Eve' } },
    customer: { id: 'eve', name: 'Eve' },
    reason: 'topic',
    summary: { wants: 'a mortgage quote', lastMessage: 'yes' },
    ...overrides,
  };
}

/** The behaviour both callback stores (in-process and Redis) promise. */
export function callbackStoreContract(name: string, factory: CallbackFactory): void {
  describe(`callback store contract: ${name}`, () => {
    let fixture: CallbackFixture | undefined;
    afterEach(async () => {
      await fixture?.close();
      fixture = undefined;
    });

    it('books a callback with what is needed to call back, and lists it oldest first', async () => {
      fixture = await factory(60_000);
      const { store } = fixture;
      const first = await store.book(newCallback());
      fixture.advance(10);
      const second = await store.book(newCallback({ customer: { id: 'joe' } }));
      expect(first).to.include({ state: 'open', skill: 'mortgage', locale: 'en', channelId: 'test', reason: 'topic' });
      expect(first.expiresAt - first.bookedAt).to.equal(60_000);
      expect(await store.get(first.id)).to.deep.equal(first);
      expect((await store.list()).map((c) => c.id)).to.deep.equal([first.id, second.id]);
      expect((await store.get(first.id))?.reference.conversation?.id).to.equal(`c-${first.id}`);
    });

    it('lets exactly one of two agents claiming at once have it; only they complete it', async () => {
      fixture = await factory(60_000);
      const { store } = fixture;
      const booked = await store.book(newCallback());
      const results = await Promise.all([store.claim(booked.id, 'ann'), store.claim(booked.id, 'kit')]);
      const winners = results.filter((r) => r.ok);
      expect(winners).to.have.length(1);
      expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.reason))).to.deep.equal(['taken']);
      const winner = winners[0]!.ok ? winners[0]!.record.agentId! : '';
      const loser = winner === 'ann' ? 'kit' : 'ann';
      expect(await store.claim(booked.id, winner)).to.deep.include({ ok: false, reason: 'taken' });
      expect(await store.complete(booked.id, loser, { disposition: 'called back' })).to.deep.equal({ ok: false, reason: 'not-yours' });
      const done = await store.complete(booked.id, winner, { disposition: 'called back', note: 'sent a quote' });
      expect(done.ok && done.record.state).to.equal('done');
      expect(done.ok && done.record.outcome).to.deep.include({ disposition: 'called back', note: 'sent a quote', by: winner });
      expect(await store.complete(booked.id, winner, { disposition: 'again' })).to.deep.equal({ ok: false, reason: 'not-claimed' });
      expect(await store.complete(randomUUID(), winner, { disposition: 'x' })).to.deep.equal({ ok: false, reason: 'not-found' });
      expect(await store.claim(randomUUID(), winner)).to.deep.equal({ ok: false, reason: 'not-found' });
      const open = await store.book(newCallback());
      expect(await store.complete(open.id, winner, { disposition: 'x' })).to.deep.equal({ ok: false, reason: 'not-claimed' });
    });

    it('forgets a callback once its time to live has passed', async () => {
      fixture = await factory(60_000);
      const { store } = fixture;
      const booked = await store.book(newCallback());
      fixture.advance(59_000);
      expect((await store.list()).map((c) => c.id)).to.deep.equal([booked.id]);
      fixture.advance(2_000);
      expect(await store.list()).to.deep.equal([]);
      expect(await store.get(booked.id)).to.equal(undefined);
      expect(await store.claim(booked.id, 'ann')).to.deep.include({ ok: false });
    });

    it('erases every callback of one customer and no one else', async () => {
      fixture = await factory(60_000);
      const { store } = fixture;
      await store.book(newCallback());
      await store.book(newCallback());
      const other = await store.book(newCallback({ customer: { id: 'joe' } }));
      expect(await store.eraseUser('eve')).to.equal(2);
      expect((await store.list()).map((c) => c.id)).to.deep.equal([other.id]);
      expect(await store.eraseUser('eve')).to.equal(0);
    });
  });
}
