import { expect } from 'chai';
import { answerIdOf, choiceTitles, createDialogBot, type DialogBot } from '../support/dialog-bot.js';

describe('dialogs: conversation flow', () => {
  let bot: DialogBot;
  before(async () => {
    bot = await createDialogBot({ KNOWLEDGE_PACKS: 'hr,bank' });
  });
  after(() => bot?.close());

  it('keeps an explicit language choice across turns, over the language of the message', async () => {
    await bot
      .conversation()
      .send('please reply in English')
      .assertReply("OK, I'll reply in English from now on.")
      .send('社保怎么交，我在上海工作，我是本地员工')
      .assertReply((reply) => {
        expect(reply.locale).to.equal('en');
        expect(answerIdOf(reply)).to.equal('hr.social_insurance#shanghai-local');
        expect(reply.text).to.match(/^Shanghai, local employee/);
      })
      .send('講廣東話')
      .assertReply('好呀，之後我會用廣東話覆你。')
      .send('how much social insurance do I pay')
      .assertReply((reply) => {
        expect(reply.locale).to.equal('zh-HK');
        expect(reply.text).to.match(/^上海本地員工/);
      })
      .startTest();
  });

  it('falls back: rephrase, then suggestions, then an offer of a person that hands off when accepted', async () => {
    const before = bot.handoffs.length;
    await bot
      .conversation()
      .send('the purple elephant sings at midnight')
      .assertReply("Sorry, I didn't quite get that. Could you say it another way?")
      .send('xylophone quantum banana')
      .assertReply((reply) => {
        expect(reply.text).to.equal("I'm still not sure what you need. Is it one of these?");
        expect(choiceTitles(reply)).to.have.lengthOf(3);
      })
      .send('my cat plays the violin')
      .assertReply((reply) => {
        expect(reply.text).to.equal("I'm sorry I couldn't help. Would you like to talk to a person?");
        expect(choiceTitles(reply)).to.deep.equal(['Yes, a person please', "No, I'll keep trying"]);
      })
      .send('1')
      .assertReply('[handoff requested]')
      .startTest();
    expect(bot.handoffs.slice(before)).to.deep.equal([{ reason: 'fallback' }]);
  });

  it('hands topics flagged for a human to the right skill, after answering what to do now', async () => {
    const before = bot.handoffs.length;
    await bot
      .conversation()
      .send('someone stole money from my account, I want to report fraud')
      .assertReply((reply) => expect(answerIdOf(reply)).to.match(/^bank\.fraud_report#/))
      .assertReply('[handoff requested]')
      .startTest();
    expect(bot.handoffs.slice(before)).to.deep.equal([{ reason: 'topic', skill: 'fraud', intent: 'bank.fraud_report' }]);
  });

  it('hands off when the user asks for a person, in any language', async () => {
    for (const text of ['I want to talk to a human', '转人工', '我要真人']) {
      const before = bot.handoffs.length;
      await bot.conversation().send(text).assertReply('[handoff requested]').startTest();
      expect(bot.handoffs.slice(before), text).to.deep.equal([{ reason: 'explicit', intent: 'core.human' }]);
    }
  });

  it('lists the loaded packs\' top topics for "what can you do?"', async () => {
    await bot
      .conversation()
      .send('what can you do?')
      .assertReply((reply) => {
        expect(reply.text).to.match(/^I can answer questions about .*HR.*For example:/s);
        expect(choiceTitles(reply)).to.have.lengthOf(6);
      })
      .startTest();
  });

  it('leaves a slot question for a clearly different new question', async () => {
    await bot
      .conversation()
      .send('how much social insurance do I pay')
      .assertReply('Which plant city do you work in?')
      .send('I lost my credit card, what should I do?')
      .assertReply((reply) => expect(answerIdOf(reply)).to.match(/^bank\.lost_card#/))
      .startTest();
  });

});

describe('dialogs: disambiguation', () => {
  let bot: DialogBot;
  before(async () => {
    // A huge ambiguity margin makes every question a close call; only plausible rivals are offered.
    bot = await createDialogBot({ KNOWLEDGE_PACKS: 'bank', NLU_AMBIGUITY_MARGIN: '0.99' });
  });
  after(() => bot?.close());

  it('asks "did you mean A or B?" and answers the one picked, by number or title', async () => {
    let titles: string[] = [];
    await bot
      .conversation()
      .send('how much is the transfer fee')
      .assertReply((reply) => {
        expect(reply.text).to.equal('Did you mean one of these?');
        titles = choiceTitles(reply);
        expect(titles.length).to.be.within(3, 4);
        expect(titles[titles.length - 1]).to.equal('Neither');
      })
      .send('1')
      .assertReply((reply) => expect(answerIdOf(reply)).to.match(/^bank\./))
      .startTest();
    await bot
      .conversation()
      .send('how much is the transfer fee')
      .assertReply(() => undefined)
      .send('neither')
      .assertReply('Sorry about that. Could you tell me a bit more about what you need?')
      .startTest();
  });

  it('answers a clear leader even when the NLU calls it a close call', async () => {
    await bot
      .conversation()
      .send('I lost my credit card')
      .assertReply((reply) => expect(answerIdOf(reply)).to.match(/^bank\.lost_card#/))
      .startTest();
  });
});
