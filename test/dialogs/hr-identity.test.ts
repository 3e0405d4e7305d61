import { expect } from 'chai';
import { answerIdOf, choiceTitles, createDialogBot, type DialogBot } from '../support/dialog-bot.js';

describe('dialogs: HR answers depend on who and where the employee is', () => {
  let bot: DialogBot;
  before(async () => {
    bot = await createDialogBot({ KNOWLEDGE_PACKS: 'hr' });
  });
  after(() => bot?.close());

  const question = {
    en: 'how much social insurance do I pay',
    'zh-CN': '社保怎么交',
    'zh-HK': '我哋嘅社保點樣供㗎',
  } as const;

  for (const [locale, text] of Object.entries(question)) {
    it(`answers a local employee in Shanghai and a foreign employee in Shenzhen differently (${locale})`, async () => {
      await bot
        .conversation({ userId: 'employee@example.com' })
        .send(text)
        .assertReply((reply) => {
          expect(answerIdOf(reply)).to.equal('hr.social_insurance#shanghai-local');
          expect(reply.locale).to.equal(locale);
        })
        .startTest();
      await bot
        .conversation({ userId: 'expat@example.com' })
        .send(text)
        .assertReply((reply) => {
          expect(answerIdOf(reply)).to.equal('hr.social_insurance#shenzhen-foreign');
          expect(reply.locale).to.equal(locale);
        })
        .startTest();
    });
  }

  it('asks for the city when nobody knows it, by name or number, and remembers it for the next question', async () => {
    await bot
      .conversation()
      .send('how much social insurance do I pay')
      .assertReply((reply) => {
        expect(reply.text).to.equal('Which plant city do you work in?');
        expect(choiceTitles(reply)).to.include.members(['Shanghai', 'Shenzhen', 'Wuhan']);
      })
      .send('Shenzhen')
      .assertReply((reply) => {
        expect(reply.text).to.match(/local .* or a foreign employee/i);
        expect(choiceTitles(reply)).to.have.lengthOf(2);
      })
      .send('2')
      .assertReply((reply) => expect(answerIdOf(reply)).to.equal('hr.social_insurance#shenzhen-foreign'))
      .send('and the housing fund?')
      .assertReply((reply) => expect(answerIdOf(reply)).to.equal('hr.housing_fund#shenzhen-foreign'))
      .startTest();
  });

  it('skips the city question when the message names the city, over the profile', async () => {
    await bot
      .conversation({ userId: 'employee@example.com' })
      .send('社保怎么交，我在深圳工作')
      .assertReply((reply) => expect(answerIdOf(reply)).to.equal('hr.social_insurance#shenzhen-local'))
      .startTest();
  });

  it('offers related topics that can be picked by number', async () => {
    await bot
      .conversation({ userId: 'employee@example.com' })
      .send('社保怎么交')
      .assertReply((reply) => {
        expect(choiceTitles(reply)).to.have.lengthOf.within(1, 3);
        expect(choiceTitles(reply)[0]).to.equal('住房公积金');
      })
      .send('1')
      .assertReply((reply) => expect(answerIdOf(reply)).to.match(/^hr\.housing_fund#/))
      .startTest();
  });
});

describe('dialogs: identity kept in the profile for handoff and analytics', () => {
  it('stores who and where the user is after a message', async () => {
    const bot = await createDialogBot({ KNOWLEDGE_PACKS: 'hr' });
    try {
      await bot.conversation({ userId: 'expat@example.com' }).send('年假有几天').assertReply(() => undefined).startTest();
      const key = 'test/users/expat@example.com/';
      const stored = (await bot.carebot.storage.user.read([key]))[key] as { profile?: { identity?: Record<string, string>; location?: Record<string, string> } };
      expect(stored.profile?.identity).to.deep.include({ employeeType: 'foreign', department: 'engineering', segment: 'staff' });
      expect(stored.profile?.location).to.deep.equal({ city: 'shenzhen' });
    } finally {
      await bot.close();
    }
  });
});
