import { expect } from 'chai';
import type { ContentSnapshot } from '../../src/bot/turn-content.js';
import { missOf, reviewGroups } from '../../src/analytics/teach/review-queue.js';
import type { TurnEvent } from '../../src/analytics/types.js';

let sequence = 0;
function turn(text: string, fields: Partial<TurnEvent> = {}): TurnEvent {
  sequence += 1;
  return {
    kind: 'turn', id: `t${sequence}`, at: 1000 + sequence, channel: 'test', conversation: `c${sequence}`, user: 'u', locale: 'en', language: 'en', intent: null, pack: null,
    confidence: null, outOfScope: false, ambiguous: false, fallback: false, sentiment: null, sentimentLabel: null, answerId: null, latencyMs: 10, mode: 'bot', text, ...fields,
  };
}

const titles = (en: string) => ({ en, 'zh-CN': en, 'zh-TW': en, 'zh-HK': en });
/** A model that always ranks lost card, then balance, then an intent the content no longer has. */
const content = {
  version: 3,
  nlu: { classify: () => ({ topIntent: 'bank.lost_card', confidence: 0.31, alternatives: [{ intent: 'bank.lost_card', confidence: 0.31 }, { intent: 'bank.gone', confidence: 0.2 }, { intent: 'bank.balance', confidence: 0.1 }] }) },
  knowledge: { intent: (id: string) => (id === 'bank.gone' ? undefined : { id, titles: titles(id) }) },
} as unknown as ContentSnapshot;

describe('analytics: the review queue of missed messages', () => {
  it('takes what the bot missed or was unsure about, while it held the conversation', () => {
    expect(missOf(turn('x', { fallback: true }))).to.equal('fallback');
    expect(missOf(turn('x', { outOfScope: true }))).to.equal('out-of-scope');
    expect(missOf(turn('x', { ambiguous: true, intent: 'bank.fees' }))).to.equal('unsure');
    expect(missOf(turn('x', { intent: 'bank.fees', confidence: 0.4, answerId: 'bank.fees#default' }))).to.equal('low-confidence');
    expect(missOf(turn('x', { intent: 'bank.fees', confidence: 0.9, answerId: 'bank.fees#default' }))).to.equal(undefined);
    expect(missOf(turn('x', { intent: 'core.thanks', confidence: 0.4, answerId: 'core.thanks#default' }))).to.equal(undefined);
    expect(missOf(turn('x', { fallback: true, mode: 'agent' }))).to.equal(undefined);
    // Text blanked by retention: nothing left to teach from.
    expect(missOf(turn('', { fallback: true }))).to.equal(undefined);
  });

  it('lists each text once with its count, leaves decided texts out, and suggests known intents', () => {
    const turns = [turn('atm ate my card', { fallback: true }), turn('atm ate my card', { fallback: true, locale: 'zh-HK' }), turn('already taught', { fallback: true }), turn('fine', { intent: 'bank.fees', confidence: 0.9, answerId: 'a' })];
    const groups = reviewGroups(turns, new Set(['already taught']), content);
    const items = groups.flatMap((g) => g.items);
    expect(items.map((i) => [i.text, i.count, i.locale, i.kind])).to.deep.equal([['atm ate my card', 2, 'zh-HK', 'fallback']]);
    expect(items[0]!.suggestions.map((s) => s.intent)).to.deep.equal(['bank.lost_card', 'bank.balance']);
  });

  it('bounds the work: the most frequent texts, a limited number of groups and items', () => {
    const turns = [
      ...Array.from({ length: 30 }, (_, i) => turn(`card problem number${i}`, { fallback: true })),
      turn('roaming charges abroad', { fallback: true }), turn('roaming charges abroad', { fallback: true }),
    ];
    const few = reviewGroups(turns, new Set(), content, { maxTexts: 1 });
    expect(few.flatMap((g) => g.items.map((i) => i.text))).to.deep.equal(['roaming charges abroad']);
    const capped = reviewGroups(turns, new Set(), content, { itemsPerGroup: 5, limit: 2 });
    expect(capped.length).to.be.at.most(2);
    for (const group of capped) expect(group.items.length).to.be.at.most(5);
  });
});

describe('analytics: a "did you mean" turned down', () => {
  it('is listed as rejected, and the reply that turned it down is not listed', () => {
    const asked = turn('card thing', { ambiguous: true, intent: 'bank.lost_card', conversation: 'r1', at: 10 });
    const neither = turn('Neither', { fallback: true, conversation: 'r1', at: 11 });
    const byNumber = [turn('my card is weird', { ambiguous: true, intent: 'bank.lost_card', conversation: 'r2', at: 20 }), turn('3', { fallback: true, conversation: 'r2', at: 21 })];
    // A new question after the offer is a missed message of its own.
    const rephrased = [turn('fee stuff', { ambiguous: true, intent: 'bank.fees', conversation: 'r3', at: 30 }), turn('what do you charge abroad', { fallback: true, conversation: 'r3', at: 31 })];
    const items = reviewGroups([asked, neither, ...byNumber, ...rephrased], new Set(), content, { rejections: new Set(['neither']) }).flatMap((g) => g.items);
    const kinds = Object.fromEntries(items.map((i) => [i.text, i.kind]));
    expect(kinds).to.deep.equal({ 'card thing': 'rejected', 'my card is weird': 'rejected', 'fee stuff': 'unsure', 'what do you charge abroad': 'fallback' });
  });
});
