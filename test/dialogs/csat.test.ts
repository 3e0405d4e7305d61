import { expect } from 'chai';
import type { AnalyticsFeature } from '../../src/analytics/analytics-feature.js';
import { answerIdOf, choiceTitles, createDialogBot, type DialogBot } from '../support/dialog-bot.js';

describe('dialogs: satisfaction survey when the bot resolved the conversation', () => {
  let bot: DialogBot;
  let analytics: AnalyticsFeature;
  before(async () => {
    bot = await createDialogBot({ KNOWLEDGE_PACKS: 'bank' });
    analytics = bot.carebot.features.find((feature) => feature.name === 'analytics') as AnalyticsFeature;
    await analytics.store.migrate();
  });
  after(() => bot?.close());

  async function storedCsat() {
    await analytics.writer.flush();
    return analytics.store.csat({ since: 0, until: Date.now() + 1000 });
  }

  it('asks for a 1–5 rating and a comment on goodbye, in the user\'s language, and stores them', async () => {
    await bot
      .conversation({ channelId: 'whatsapp' })
      .send('我張信用卡唔見咗')
      .assertReply((reply) => expect(answerIdOf(reply)).to.match(/^bank\.lost_card#/))
      .send('拜拜')
      .assertReply((reply) => {
        expect(reply.text).to.equal('走之前想你幫我哋評下分：1（好差）到 5（好好）？');
        expect(choiceTitles(reply)).to.deep.equal(['1 好差', '2', '3', '4', '5 好好']);
      })
      .send('4')
      .assertReply('多謝！有冇咩我哋可以做得更好？（冇嘅話覆「冇」就得）')
      .send('可以快啲覆我，我電話係 91234567')
      .assertReply('多謝你嘅意見，拜拜！')
      .startTest();
    const answers = await storedCsat();
    expect(answers).to.have.lengthOf(1);
    expect(answers[0]).to.deep.include({ score: 4, skill: 'bot', channel: 'whatsapp', comment: '可以快啲覆我，我電話係 [PHONE]' });
  });

  it('records no comment for "no", and asks only once per conversation', async () => {
    const before = (await storedCsat()).length;
    await bot
      .conversation()
      .send('what are your opening hours on saturday?')
      .assertReply(() => undefined)
      .send('goodbye')
      .assertReply((reply) => expect(reply.text).to.match(/^Before you go/))
      .send('5 excellent')
      .assertReply(() => undefined)
      .send('no')
      .assertReply('Thank you for your feedback. Goodbye!')
      .send('bye')
      .assertReply('Goodbye, and thank you for contacting us.')
      .startTest();
    const answers = (await storedCsat()).slice(before);
    expect(answers.map((answer) => [answer.score, answer.comment])).to.deep.equal([[5, null]]);
  });

  it('does not survey a conversation the bot did not answer anything in', async () => {
    await bot.conversation().send('bye').assertReply('Goodbye, and thank you for contacting us.').startTest();
  });
});
