import { expect } from 'chai';
import { answerIdOf, createDialogBot, type DialogBot } from '../support/dialog-bot.js';

// The recognizers take seconds on a run of "1/" (test/support/adversarial-corpus.ts): with a
// 10 ms budget they are stopped, whatever the machine; with 10 s they finish (~0.6 s idle).
const BOUGHT_TEN_DAYS_AGO = `I bought it 10 days ago, can my 5 year old daughter claim for fever on the health policy ${'1/'.repeat(40)}`;

async function answerOf(bot: DialogBot, text: string): Promise<{ answerId?: string; text?: string }> {
  let seen: { answerId?: string; text?: string } = {};
  await bot
    .conversation()
    .send(text)
    .assertReply((reply) => {
      seen = { answerId: answerIdOf(reply), text: reply.text };
    })
    .startTest();
  return seen;
}

describe('dialogs: when the entity recognizers run out of time (NLU_RECOGNIZER_BUDGET_MS)', () => {
  const bots: DialogBot[] = [];
  after(() => Promise.all(bots.map((bot) => bot.close())));

  it('says the answer may leave out numbers and dates it could not read, rather than answering as if none were given', async () => {
    const bot = await createDialogBot({ NLU_RECOGNIZER_BUDGET_MS: '10' });
    bots.push(bot);
    const answer = await answerOf(bot, BOUGHT_TEN_DAYS_AGO);
    // Without the date the policy's age is unknown: the answer is "covered", with the waiting period named.
    expect(answer.answerId).to.equal('insurance.coverage#covered');
    expect(answer.text).to.match(/^Yes: [^]*\n\n\(I could not read every number and date in your message in time, so this answer may leave some of them out\.\)$/);
  });

  it('reads the date given the time the setting allows, and then adds no note', async () => {
    const bot = await createDialogBot({ NLU_RECOGNIZER_BUDGET_MS: '10000' });
    bots.push(bot);
    const answer = await answerOf(bot, BOUGHT_TEN_DAYS_AGO);
    expect(answer.answerId).to.equal('insurance.coverage#waiting');
    expect(answer.text).to.match(/^Not yet: .*20 days/);
    expect(answer.text).not.to.include('could not read');
  });

});
