import { expect } from 'chai';
import { nextBestActions } from '../../dialogs/answer-dialog.js';
import { LearnedNextQuestions } from '../../src/analytics/next-questions.js';
import { KyselyAnalyticsStore } from '../../src/analytics/store/kysely-store.js';
import type { AnalyticsEvent } from '../../src/analytics/types.js';
import { answerIdOf, choiceTitles, createDialogBot } from '../support/dialog-bot.js';
import { memoryLogger } from '../support/silent-logger.js';

const NOW = Date.UTC(2026, 10, 25, 12);

function turn(conversation: string, minute: number, intent: string | null, outOfScope = false): AnalyticsEvent {
  return {
    kind: 'turn', id: `${conversation}-${minute}`, at: NOW - 86_400_000 + minute * 60_000, channel: 'whatsapp', conversation, user: `u-${conversation}`,
    locale: 'en', language: 'en', intent, pack: intent?.split('.')[0] ?? null, confidence: 0.5, outOfScope, ambiguous: false, fallback: outOfScope,
    sentiment: 0, sentimentLabel: 'neutral', answerId: intent ? `${intent}#default` : null, latencyMs: 20, mode: 'bot', text: '',
  };
}

/** Three conversations where people asked about a lost card and then about replacing it. */
const PAST: AnalyticsEvent[] = [
  turn('a', 0, 'bank.lost_card'), turn('a', 1, 'core.thanks'), turn('a', 2, 'bank.card_replacement'),
  turn('b', 0, 'bank.lost_card'), turn('b', 1, 'bank.card_replacement'), turn('b', 2, 'bank.fees'),
  turn('c', 0, 'bank.lost_card'), turn('c', 1, null, true), turn('c', 2, 'bank.card_replacement'),
  turn('d', 0, 'bank.lost_card'), turn('d', 1, 'bank.fx_rates'),
];

describe('next best action learned from past conversations', () => {
  it('interleaves curated and learned topics without repeats or the current one', () => {
    expect(nextBestActions(['x.a', 'x.b'], ['x.c', 'x.a', 'x.now'], 'x.now')).to.deep.equal(['x.a', 'x.c', 'x.b']);
    expect(nextBestActions([], ['x.c'], 'x.now')).to.deep.equal(['x.c']);
  });

  it('counts what understood question followed which, skipping small talk, misunderstandings and one-offs', async () => {
    const store = new KyselyAnalyticsStore({ sqliteFile: ':memory:' });
    try {
      await store.migrate();
      await store.write(PAST);
      const learned = new LearnedNextQuestions(store, memoryLogger('silent').logger, { now: () => NOW });
      expect(learned.suggest('bank.lost_card')).to.deep.equal([]);
      await learned.refresh();
      expect(learned.suggest('bank.lost_card')).to.deep.equal(['bank.card_replacement']);
      expect(learned.suggest('bank.fees')).to.deep.equal([]);
    } finally {
      await store.close();
    }
  });

  it('shows a learned follow-up among the suggestions after an answer', async () => {
    const bot = await createDialogBot({ KNOWLEDGE_PACKS: 'bank' });
    try {
      const analytics = bot.carebot.features.find((feature) => feature.name === 'analytics') as unknown as { store: KyselyAnalyticsStore; nextQuestions: LearnedNextQuestions };
      await analytics.store.migrate();
      // The fees question follows the lost-card answer often enough in the past to be suggested.
      await analytics.store.write([turn('e', 0, 'bank.lost_card'), turn('e', 1, 'bank.fees'), turn('f', 0, 'bank.lost_card'), turn('f', 1, 'bank.fees')].map((event) => ({ ...event, at: Date.now() - 60_000 })));
      await analytics.nextQuestions.refresh();
      await bot
        .conversation()
        .send('I lost my credit card')
        .assertReply((reply) => {
          expect(answerIdOf(reply)).to.match(/^bank\.lost_card#/);
          expect(choiceTitles(reply)).to.deep.equal(['Report fraud', 'Fees and charges', 'Replacement card']);
        })
        .startTest();
    } finally {
      await bot.close();
    }
  });
});
