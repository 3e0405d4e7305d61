import { expect } from 'chai';
import { answerIdOf, createDialogBot, type DialogBot } from '../support/dialog-bot.js';

describe('dialogs: every pack answers in English, Mandarin and Cantonese', () => {
  let bot: DialogBot;
  before(async () => {
    bot = await createDialogBot();
  });
  after(() => bot?.close());

  async function answerOf(text: string, options: { userId?: string; channelId?: string } = {}): Promise<{ answerId?: string; text?: string; locale?: string }> {
    let seen: { answerId?: string; text?: string; locale?: string } = {};
    await bot
      .conversation(options)
      .send(text)
      .assertReply((reply) => {
        seen = { answerId: answerIdOf(reply), text: reply.text, locale: reply.locale };
      })
      .startTest();
    return seen;
  }

  const cases: [string, string, string, string][] = [
    ['bank', 'I lost my credit card', '我的信用卡丢了', '我唔見咗張信用卡'],
    ['bank', 'what time do your bank branches open on saturday', '银行分行星期六几点开门', '你哋銀行分行星期六幾點開門呀'],
    ['bank', 'what documents do I need to open an account', '开户需要什么证件', '開戶要帶咩文件'],
  ];
  for (const [pack, en, zhCN, zhHK] of cases) {
    it(`${pack}: "${en}" gets the same answer in three languages`, async () => {
      const answers = [await answerOf(en), await answerOf(zhCN), await answerOf(zhHK)];
      expect(answers.map((answer) => answer.locale)).to.deep.equal(['en', 'zh-CN', 'zh-HK']);
      const ids = answers.map((answer) => answer.answerId);
      expect(ids[0], JSON.stringify(answers)).to.match(/^bank\./);
      expect(ids).to.deep.equal([ids[0], ids[0], ids[0]]);
      expect(new Set(answers.map((answer) => answer.text)).size, 'three different texts').to.equal(3);
    });
  }

  it('insurance: reasons over the policy graph with the why, in three languages', async () => {
    const yes = await answerOf('can the health policy for my 5-year-old daughter claim for a fever?');
    expect(yes.answerId).to.equal('insurance.coverage#covered');
    expect(yes.text).to.match(/^Yes: .*fever.*0–17.*30-day waiting period/);
    const yesZh = await answerOf('我给5岁女儿买的医疗险能报发烧吗');
    expect(yesZh.answerId).to.equal('insurance.coverage#covered');
    expect(yesZh.text).to.match(/^可以：.*发烧/);
    const yesYue = await answerOf('我個女5歲，醫療保險包唔包發燒');
    expect(yesYue.answerId).to.equal('insurance.coverage#covered');
    expect(yesYue.text).to.match(/^可以：.*發燒/);
  });

  it('insurance: says no for an exclusion and for an age outside the range', async () => {
    const excluded = await answerOf('我给5岁女儿买的医疗险能报整容吗');
    expect(excluded.answerId).to.equal('insurance.coverage#excluded');
    expect(excluded.text).to.match(/^不可以：/);
    const tooOld = await answerOf('can the health policy for my 30-year-old daughter claim for a fever?');
    expect(tooOld.answerId).to.equal('insurance.coverage#age_outside');
    expect(tooOld.text).to.match(/^No: .*30/);
  });

  it('insurance: says "not yet" inside the waiting period, counting from when the policy was bought', async () => {
    const notYet = await answerOf('I bought it 10 days ago, can my 5 year old daughter claim for fever on the health policy');
    expect(notYet.answerId).to.equal('insurance.coverage#waiting');
    expect(notYet.text).to.match(/^Not yet: .*30-day waiting period.*20 days/);
  });

  it('visitor: answers for the kiosk\'s own site, in three languages', async () => {
    const answers = [
      await answerOf('how do I get to the meeting rooms?', { userId: 'kiosk-wanchai' }),
      await answerOf('会议室怎么走', { userId: 'kiosk-wanchai' }),
      await answerOf('會議室喺邊度呀', { userId: 'kiosk-wanchai' }),
    ];
    expect(answers.map((answer) => answer.answerId)).to.deep.equal(Array(3).fill('visitor.directions#wan-chai'));
    expect(answers.map((answer) => answer.locale)).to.deep.equal(['en', 'zh-CN', 'zh-HK']);
    expect(answers[2]!.text).to.match(/^海港大廈：接待處喺 3 樓/);
  });

  it('gives the same answer to the same question on two channels', async () => {
    const onTeams = await answerOf('how much social insurance do I pay', { channelId: 'msteams', userId: 'employee@example.com' });
    const onWhatsApp = await answerOf('how much social insurance do I pay', { channelId: 'whatsapp', userId: 'employee@example.com' });
    expect(onTeams.answerId).to.equal('hr.social_insurance#shanghai-local');
    expect(onWhatsApp).to.deep.equal(onTeams);
  });
});
