import { join } from 'node:path';
import { expect } from 'chai';
import { ConversationState, MemoryStorage, TestAdapter, UserState, type Activity, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import { CsatDialog, CSAT_DIALOG, type CsatOptions } from '../../dialogs/csat-dialog.js';
import type { DialogServices } from '../../dialogs/dialog-services.js';
import type { CsatAnswer } from '../../src/bot/csat-recorder.js';
import type { HandoffRequester, RatedChat } from '../../src/bot/handoff-requester.js';
import { setReplyLocale } from '../../src/bot/turn-state.js';
import { setTurnUnderstanding } from '../../src/bot/turn-understanding.js';
import type { Locale } from '../../src/config.js';
import { createI18n, type I18n } from '../../src/i18n/create-i18n.js';
import { projectRoot } from '../../src/project-root.js';
import { understanding } from '../handoff/harness.js';
import { memoryLogger } from '../support/silent-logger.js';

const KIT: RatedChat = { handoffId: 'h-1', agentId: 'kit', skill: 'cards' };

interface Rated {
  /** What the bot's CSAT recorder got (a bot conversation) or the handoff's recordSurvey (an agent chat). */
  readonly answers: CsatAnswer[];
  declined: number;
  readonly replies: Partial<Activity>[];
}

/**
 * The one survey dialog alone: an agent chat's survey begins on the message that answers the
 * handoff's closing notice; the bot's begins on "bye" and asks. The handoff behind it only records.
 */
async function survey(i18n: I18n, options: CsatOptions, locale: Locale, messages: readonly string[], understood: Record<string, string> = {}): Promise<Rated> {
  const rated: Rated = { answers: [], declined: 0, replies: [] };
  const unused = () => Promise.reject(new Error('not part of the survey'));
  const handoff: HandoffRequester = {
    request: unused,
    pendingDialog: unused,
    completePrescreen: unused,
    cancelPrescreen: unused,
    async recordSurvey(_context, rates, answer) {
      expect(rates).to.deep.equal(KIT);
      rated.answers.push(answer);
    },
    async declineSurvey() {
      rated.declined += 1;
    },
  };
  const storage = new MemoryStorage();
  const conversationState = new ConversationState(storage);
  const services: DialogServices = {
    i18n,
    logger: memoryLogger('silent').logger,
    profile: new UserState(storage).createProperty('profile'),
    conversationData: conversationState.createProperty('dialogs'),
    handoff,
    csat: { record: (_context: TurnContext, answer: CsatAnswer) => void rated.answers.push(answer) },
    fallbacksBeforeHandoffOffer: 3,
    defaultLocale: 'en',
  };
  const dialogs = new DialogSet(conversationState.createProperty('dialogState'));
  dialogs.add(new CsatDialog(services));
  const adapter = new TestAdapter(async (context) => {
    setReplyLocale(context, locale);
    const text = context.activity.text ?? '';
    if (understood[text]) setTurnUnderstanding(context, understanding({ text, intent: understood[text] }));
    const dc = await dialogs.createContext(context);
    if ((await dc.continueDialog()).status === DialogTurnStatus.empty) await dc.beginDialog(CSAT_DIALOG, options);
    await conversationState.saveChanges(context);
  });
  for (const message of options.rates ? messages : ['bye', ...messages]) await adapter.send(message).startTest();
  rated.replies.push(...adapter.activeQueue.splice(0));
  return rated;
}

describe('dialogs: one survey dialog rates the bot\'s conversations and agents\' chats alike', () => {
  let i18n: I18n;
  before(async () => {
    i18n = await createI18n(join(projectRoot(), 'locales'), 'en');
  });

  it('reads every way of writing a rating the same for both, and the same "nothing to add"', async () => {
    const cases: [Locale, string, number][] = [
      ['en', '4/5', 4],
      ['en', '4 stars', 4],
      ['en', '5 excellent', 5],
      ['en', '２', 2],
      ['zh-HK', '四', 4],
      ['zh-HK', '5 好好', 5],
      ['zh-CN', '3分', 3],
    ];
    for (const [locale, rating, score] of cases) {
      for (const [comment, kept] of [['skip', null], ['唔使', null], ['faster replies please', 'faster replies please']] as const) {
        const bot = await survey(i18n, {}, locale, [rating, comment]);
        const agent = await survey(i18n, { rates: KIT }, locale, [rating, comment]);
        expect(bot.answers, `${locale} ${rating} / ${comment}`).to.deep.equal([{ score, comment: kept }]);
        expect(agent.answers, `${locale} ${rating} / ${comment}`).to.deep.equal(bot.answers);
      }
    }
  });

  it('asks the bot\'s survey with the rating as choices; an agent\'s chat was asked by the closing notice, so a rating it cannot read is asked again as plain text', async () => {
    const bot = await survey(i18n, {}, 'en', ['it was ok']);
    expect(bot.replies.map((reply) => reply.text)).to.deep.equal([i18n.t('dialogs:csat.ask', { lng: 'en' }), i18n.t('dialogs:csat.ask', { lng: 'en' })]);
    expect(bot.replies.every((reply) => (reply.suggestedActions?.actions ?? []).length === 5)).to.equal(true);

    const agent = await survey(i18n, { rates: KIT }, 'en', ['it was ok', 'meh']);
    expect(agent.replies.map((reply) => reply.text)).to.deep.equal(['Please answer with a number from 1 to 5.', 'Please answer with a number from 1 to 5.']);
    expect(agent.replies.some((reply) => reply.suggestedActions)).to.equal(false);
    expect(agent.answers).to.deep.equal([]);
  });

  it('an agent chat\'s survey is declined by "cancel", first or after a retry, in the customer\'s own words too', async () => {
    expect((await survey(i18n, { rates: KIT }, 'en', ['cancel'])).declined).to.equal(1);
    const later = await survey(i18n, { rates: KIT }, 'zh-HK', ['好好', '唔等喇，我自己搞掂'], { '唔等喇，我自己搞掂': 'core.cancel' });
    expect(later.declined).to.equal(1);
    expect(later.answers, 'the survey ended with the decline').to.deep.equal([]);
  });
});
