import { expect } from 'chai';
import { eventually, startHarness, type Harness } from './harness.js';

const SKILLS = `
skills:
  general:
    name: { en: General }
  cards:
    name: { en: Cards, zh-HK: 信用卡 }
    fields:
      - id: accountType
        prompt: { en: "Is it a savings or a current account?", zh-HK: "請問係儲蓄定支票戶口？" }
        pattern: "^(savings|current|儲蓄|支票)$"
        invalid: { en: "Savings or current, please." }
      - id: contact
        prompt: { en: "How can our colleague reach you?", zh-HK: "我哋同事點樣聯絡你？" }
intents:
  bank.lost_card: cards
`;

/** Stands in for the NLU: a lost card, "a person, please", and "never mind" in the customer's own words. */
const UNDERSTAND = (text: string) =>
  /lost my card|張卡唔見/.test(text)
    ? { intent: 'bank.lost_card' }
    : /human|真人/.test(text)
      ? { intent: 'core.human' }
      : text === '唔等喇，我自己搞掂'
        ? { intent: 'core.cancel' }
        : text === 'this is useless!!'
          ? { intent: null, sentiment: { score: -0.95, label: 'negative' as const, angry: true } }
          : undefined;

/** What the dialogs (which know no topic here) answer: a first miss, then the following ones. */
const NOT_UNDERSTOOD_HK = ['唔好意思，我唔係好明。可唔可以換個講法？', '我仲係唔太清楚你想要乜，係唔係以下其中一樣？'];

describe('handoff: pre-screening and the agent survey in the shared dialogs', function () {
  this.timeout(30_000);
  let harness: Harness;
  afterEach(async () => harness?.close());

  /** Who holds the customer's conversation, read in a proactive turn (no message reaches the middleware). */
  async function mode(user: string): Promise<string> {
    let found = '';
    await harness.customers.continueConversation(harness.customers.reference(user, 'en'), async (context) => {
      found = await harness.feature.service.mode(context);
    });
    return found;
  }

  it('asks the fields in turn, asks again with the field\'s hint (a trigger mid-way is an answer, not a new request), and queues the answers redacted', async () => {
    harness = await startHarness({ understand: UNDERSTAND, skills: SKILLS });
    await harness.say('amy', 'I lost my card', 'en');
    await harness.say('amy', 'human please', 'en');
    expect(harness.customers.lines('amy').at(-1)).to.equal('Is it a savings or a current account?');
    await harness.say('amy', 'this is useless!!', 'en');
    expect(harness.customers.lines('amy').at(-1)).to.equal('Savings or current, please. Is it a savings or a current account?');
    await harness.say('amy', 'human please', 'en');
    expect(harness.customers.lines('amy').at(-1)).to.equal('Savings or current, please. Is it a savings or a current account?');
    expect(await harness.feature.queue.waitingIds()).to.deep.equal([]);
    await harness.say('amy', ' savings ', 'en');
    expect(harness.customers.lines('amy').at(-1)).to.equal('How can our colleague reach you?');
    await harness.say('amy', 'call me on 9123 4567 or amy@example.com', 'en');
    expect(harness.customers.lines('amy').at(-1)).to.match(/^You're number 1 in line/);

    const waiting = await harness.feature.queue.waitingIds();
    expect(waiting).to.have.length(1);
    const record = await harness.feature.queue.get(waiting[0]!);
    expect(record?.skill).to.equal('cards');
    expect(record?.payload.reason).to.equal('explicit');
    expect(record?.payload.slots).to.deep.equal({ accountType: 'savings', contact: 'call me on [PHONE] or [EMAIL]' });
  });

  it('a topic that goes to a person is answered, then pre-screened in the same turn', async () => {
    harness = await startHarness({ understand: UNDERSTAND, skills: SKILLS, handoffTopics: ['bank.lost_card'] });
    await harness.say('ivy', 'I lost my card', 'en');
    expect(harness.customers.lines('ivy')).to.deep.equal(['(the answer to bank.lost_card)', 'Is it a savings or a current account?']);
    await harness.say('ivy', 'current', 'en');
    expect(harness.customers.lines('ivy').at(-1)).to.equal('How can our colleague reach you?');
  });

  it('a pre-screening cancelled in Cantonese words ("唔等喇，我自己搞掂") goes back to the bot, and a new request starts it afresh', async () => {
    harness = await startHarness({ understand: UNDERSTAND, skills: SKILLS });
    await harness.say('may', '我張卡唔見咗');
    await harness.say('may', '我要真人');
    await harness.say('may', '儲蓄');
    expect(harness.customers.lines('may').at(-1)).to.equal('我哋同事點樣聯絡你？');
    await harness.say('may', '唔等喇，我自己搞掂');
    expect(harness.customers.lines('may').at(-1)).to.equal('好，你已經唔再排隊。我返嚟喇，仲有咩可以幫到你？');
    expect(await harness.feature.queue.waitingIds()).to.deep.equal([]);
    expect(await mode('may')).to.equal('bot');
    await harness.say('may', '點算好');
    expect(NOT_UNDERSTOOD_HK, 'the dialogs answer again').to.include(harness.customers.lines('may').at(-1));
    await harness.say('may', '我要真人');
    expect(harness.customers.lines('may').at(-1), 'from the first field').to.equal('請問係儲蓄定支票戶口？');
  });

  it('a customer who leaves mid pre-screening leaves nothing behind: the next message reaches the dialogs', async () => {
    harness = await startHarness({ understand: UNDERSTAND, skills: SKILLS });
    await harness.say('kai', '我張卡唔見咗');
    await harness.say('kai', '我要真人');
    await harness.customers.leave('kai', 'zh-HK', harness.logic);
    await harness.say('kai', '儲蓄');
    expect(NOT_UNDERSTOOD_HK).to.include(harness.customers.lines('kai').at(-1));
    expect(await mode('kai')).to.equal('bot');
    expect(await harness.feature.queue.waitingIds()).to.deep.equal([]);

    // Back at once with a new request: its pre-screening starts from the first field, not where the old one stopped.
    await harness.say('bo', '我張卡唔見咗');
    await harness.say('bo', '我要真人');
    await harness.say('bo', '儲蓄');
    await harness.customers.leave('bo', 'zh-HK', harness.logic);
    await harness.say('bo', '我要真人');
    expect(harness.customers.lines('bo').at(-1)).to.equal('請問係儲蓄定支票戶口？');
    expect(await harness.feature.queue.waitingIds()).to.deep.equal([]);
  });

  it('the survey of an agent\'s chat reads "四" and records it for the agent, then the bot answers again', async () => {
    harness = await startHarness({ understand: UNDERSTAND, skills: SKILLS });
    await harness.say('ho', '我要真人');
    const kit = await harness.agent('kit');
    const { body } = await kit.next();
    await kit.call('POST', `/api/agent/handoffs/${body.handoff.id}/resolve`, { disposition: 'solved' });
    await harness.customers.waitFor('ho', /評分/);
    await harness.say('ho', '四');
    expect(harness.customers.lines('ho').at(-1)).to.equal('多謝！仲有冇嘢想補充？（冇嘅話打「唔使」）');
    await harness.say('ho', '唔使');
    expect(harness.customers.lines('ho').at(-1)).to.equal('多謝你嘅意見！有需要隨時搵我。');
    const [entry] = await eventually(async () => {
      const entries = await harness.feature.csat.list();
      return entries.length > 0 ? entries : undefined;
    });
    expect(entry).to.deep.include({ handoffId: body.handoff.id, agentId: 'kit', score: 4, comment: undefined });
    await harness.say('ho', '點算好');
    expect(NOT_UNDERSTOOD_HK).to.include(harness.customers.lines('ho').at(-1));
  });

  it('declining the agent survey ("cancel" instead of a rating) records nothing and hands back to the bot', async () => {
    harness = await startHarness({ understand: UNDERSTAND, skills: SKILLS });
    await harness.say('lee', 'human please', 'en');
    const kit = await harness.agent('kit');
    const { body } = await kit.next();
    await kit.call('POST', `/api/agent/handoffs/${body.handoff.id}/resolve`, { disposition: 'solved' });
    await harness.customers.waitFor('lee', /rate/);
    await harness.say('lee', 'it was ok', 'en');
    expect(harness.customers.lines('lee').at(-1)).to.equal('Please answer with a number from 1 to 5.');
    await harness.say('lee', 'cancel', 'en');
    expect(harness.customers.lines('lee').at(-1)).to.equal('OK. What else can I help with?');
    expect(await harness.feature.csat.list()).to.deep.equal([]);
    expect(await mode('lee')).to.equal('bot');
  });
});
