import { expect } from 'chai';
import { PassiveReplies } from '../../adapters/wechat-official/passive-replies.js';

/** The passive-reply budget on its own, without wall-clock races: the end-to-end tests accept either route. */
describe('WeChat passive replies', () => {
  const never = new Promise<never>(() => undefined);

  it('gives the first reply of a turn to the waiting HTTP response, and only the first', async () => {
    const replies = new PassiveReplies();
    const waiting = replies.await('o-1', 60_000, never);
    expect(replies.take('o-2', 'for someone else'), 'another chat has no slot').to.equal(false);
    expect(replies.take('o-1', 'hello')).to.equal(true);
    expect(replies.take('o-1', 'second reply')).to.equal(false);
    expect(await waiting).to.equal('hello');
  });

  it('answers nothing passively when the turn ends without a reply, or the budget runs out', async () => {
    const replies = new PassiveReplies();
    expect(await replies.await('o-1', 60_000, Promise.resolve())).to.equal(undefined);
    expect(replies.take('o-1', 'late'), 'a finished turn leaves no slot').to.equal(false);
    expect(await replies.await('o-1', 1, never)).to.equal(undefined);
    expect(replies.take('o-1', 'late'), 'a spent budget leaves no slot').to.equal(false);
  });

  it('serves the oldest waiting callback of a chat first', async () => {
    const replies = new PassiveReplies();
    const first = replies.await('o-1', 60_000, never);
    const second = replies.await('o-1', 60_000, never);
    replies.take('o-1', 'one');
    replies.take('o-1', 'two');
    expect([await first, await second]).to.deep.equal(['one', 'two']);
  });
});
