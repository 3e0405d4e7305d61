import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { decideIntent } from '../../dialogs/intent-policy.js';
import type { IntentInfo } from '../../src/knowledge/types.js';
import type { NluResult } from '../../src/nlu/types.js';
import { answerIdOf, choiceTitles, createDialogBot, type DialogBot } from '../support/dialog-bot.js';

const DID_YOU_MEAN = 'Did you mean one of these?';
const REPHRASE = "Sorry, I didn't quite get that. Could you say it another way?";
const OFFER = "I'm sorry I couldn't help. Would you like to talk to a person?";

const isEmergencyAnswer = (reply: Partial<Activity>) => /^visitor\.emergency#/.test(answerIdOf(reply) ?? '');

describe('dialogs: policy (answer instead of asking, high-stakes intents, yes/no, fallbacks, directory facts)', () => {
  let bot: DialogBot;
  before(async () => {
    bot = await createDialogBot();
  });
  after(() => bot?.close());

  it('does not let small talk compete with a substantive question', async () => {
    for (const [text, intent] of [
      ['早晨，我想問點樣開戶', 'bank.account_opening'],
      ["ok bye, actually one more thing, what's the fx rate for yen", 'bank.fx_rates'],
    ] as const) {
      await bot
        .conversation()
        .send(text)
        .assertReply((reply) => expect(answerIdOf(reply), text).to.match(new RegExp(`^${intent.replace('.', '\\.')}#`)))
        .startTest();
    }
    // A short small-talk message is still small talk.
    await bot.conversation().send('thanks a lot').assertReply((reply) => expect(reply.text).to.not.equal(DID_YOU_MEAN)).startTest();
  });

  it('answers a clear leader directly and offers "did you mean" only among plausible topics of one pack', async () => {
    await bot
      .conversation()
      .send('I hurt my ankle skiing in Japan, does my travel insurance pay')
      .assertReply((reply) => {
        expect(reply.text).to.not.equal(DID_YOU_MEAN);
        expect(isEmergencyAnswer(reply)).to.equal(false);
      })
      .startTest();
    await bot
      .conversation()
      .send('how much is the transfer fee')
      .assertReply((reply) => {
        expect(reply.text).to.equal(DID_YOU_MEAN);
        const titles = choiceTitles(reply);
        expect(titles.length).to.be.within(3, 4);
        expect(titles.at(-1)).to.equal('Neither');
      })
      .startTest();
  });

  it('keeps emergencies precise: an insurance question that mentions an injury gets no emergency answer, a vague report is confirmed first', async () => {
    const before = bot.handoffs.length;
    await bot
      .conversation()
      .send('I was injured on holiday in Thailand, will my travel insurance cover the hospital bill')
      .assertReply((reply) => expect(isEmergencyAnswer(reply)).to.equal(false))
      .startTest();
    expect(bot.handoffs.slice(before)).to.deep.equal([]);
    await bot
      .conversation()
      .send('someone is hurt')
      .assertReply((reply) => {
        expect(reply.text).to.equal('Just to be sure: is it about “Emergency or first aid”?');
        expect(choiceTitles(reply)).to.deep.equal(['Yes', 'No']);
      })
      .send('yes')
      .assertReply((reply) => expect(isEmergencyAnswer(reply)).to.equal(true))
      .assertReply('[handoff requested]')
      .startTest();
    expect(bot.handoffs.slice(before)).to.deep.equal([{ reason: 'topic', skill: 'security', intent: 'visitor.emergency' }]);
    // A clear emergency is answered at once.
    await bot.conversation().send('someone fainted').assertReply((reply) => expect(isEmergencyAnswer(reply)).to.equal(true)).startTest();
  });

  it('does not miss a scam report phrased the customer\'s own way', async () => {
    for (const text of [
      'a man phoned saying he was from the bank security team and wanted my one-time password',
      '有人打电话说我的卡有问题要我说密码',
      '有人打電話說我的卡有問題要我提供密碼',
    ]) {
      await bot
        .conversation()
        .send(text)
        .assertReply((reply) => expect(answerIdOf(reply), text).to.match(/^bank\.fraud_report#/))
        .assertReply('[handoff requested]')
        .startTest();
    }
  });

  it('reads a plain yes or no after an offer in every variety, and "neither" counts as a miss', async () => {
    for (const yes of ['yes', '好呀', '係', '是的']) {
      const before = bot.handoffs.length;
      await bot
        .conversation()
        .send('the purple elephant sings at midnight')
        .assertReply(REPHRASE)
        .send('how much is the transfer fee')
        .assertReply(DID_YOU_MEAN)
        .send('Neither')
        .assertReply('Sorry about that. Could you tell me a bit more about what you need?')
        .send('xylophone quantum banana')
        .assertReply((reply) => expect(reply.text).to.equal(OFFER))
        .send(yes)
        .assertReply('[handoff requested]')
        .startTest();
      expect(bot.handoffs.slice(before), yes).to.deep.equal([{ reason: 'fallback' }]);
    }
    await bot
      .conversation()
      .send('the purple elephant sings at midnight')
      .assertReply(REPHRASE)
      .send('xylophone quantum banana')
      .assertReply(() => undefined)
      .send('my cat plays the violin')
      .assertReply(OFFER)
      .send('唔使')
      .assertReply((reply) => expect(reply.text).to.not.equal('[handoff requested]'))
      .startTest();
  });

  it('leaves an open question or the survey when the user cancels in their own words', async () => {
    for (const cancel of ['never mind, I will sort it out myself', '唔等喇，我自己搞掂', '我不想等了', '算了']) {
      await bot
        .conversation()
        .send('how much social insurance do I pay')
        .assertReply((reply) => expect(reply.text).to.match(/plant city/))
        .send(cancel)
        .assertReply((reply) => expect(reply.text, cancel).to.match(/^(OK, let's leave that|好，咁就唔理住|好的，那就先这样|好的，那就先這樣)/))
        .send('where do I park')
        .assertReply((reply) => expect(reply.text, cancel).to.equal('Which Demo Group site are you at?'))
        .startTest();
    }
  });

  it('maps an everyday injury to a covered condition, keeps what the question stated while asking the rest, and takes a bare number as an age', async () => {
    for (const [question, age] of [
      ['I sprained my ankle in Japan, does Travel Guard cover it?', 'How old is the insured person?'],
      ['我喺日本扭傷腳，Travel Guard 賠唔賠？', '受保人今年幾多歲？'],
    ] as const) {
      await bot
        .conversation()
        .send(question)
        .assertReply((reply) => expect(reply.text, question).to.equal(age))
        .send('34')
        .assertReply((reply) => {
          expect(answerIdOf(reply), question).to.equal('insurance.coverage#covered_no_wait');
          expect(reply.text).to.match(/accidental injury|意外受傷/);
        })
        .startTest();
    }
  });

  it("keeps the directory's facts unless the user states otherwise about themselves", async () => {
    // teams-user-employee: a local employee in Shanghai (knowledge/directory.yaml).
    await bot
      .conversation({ userId: 'teams-user-employee' })
      .send('do foreigners need to pay social insurance')
      .assertReply((reply) => expect(answerIdOf(reply)).to.equal('hr.social_insurance#shanghai-local'))
      .send('外国人要交社保吗')
      .assertReply((reply) => expect(answerIdOf(reply)).to.equal('hr.social_insurance#shanghai-local'))
      .send("I'm a foreigner, how much social insurance do I pay")
      .assertReply((reply) => expect(answerIdOf(reply)).to.equal('hr.social_insurance#shanghai-foreign'))
      .startTest();
  });
});

describe('dialogs: intent policy decisions', () => {
  const info = (id: string, policy: Partial<IntentInfo['policy']> = {}): IntentInfo =>
    ({ id, pack: id.split('.')[0]!, policy: { confirm: false, recallFirst: false, ...policy } }) as IntentInfo;
  const intents = new Map<string, IntentInfo>([
    ['core.greeting', info('core.greeting')],
    ['core.human', info('core.human')],
    ['bank.fees', info('bank.fees')],
    ['bank.limits', info('bank.limits')],
    ['bank.fraud', info('bank.fraud', { recallFirst: true })],
    ['visitor.emergency', info('visitor.emergency', { minConfidence: 0.5, confirm: true, recallFirst: true })],
    ['visitor.parking', info('visitor.parking')],
    ['insurance.coverage', info('insurance.coverage')],
  ]);
  const understanding = (alternatives: [string, number][], outOfScope = false, ambiguous = true): NluResult =>
    ({
      text: 'a question of several words about something',
      intent: outOfScope ? null : alternatives[0]![0],
      confidence: alternatives[0]![1],
      ambiguous,
      outOfScope,
      alternatives: alternatives.map(([intent, confidence]) => ({ intent, confidence })),
      entities: [],
    }) as unknown as NluResult;
  const decide = (result: NluResult) => decideIntent(result, (id) => intents.get(id), 0.024);

  it('answers a leader that is clearly ahead, asks among close rivals of its pack only', () => {
    expect(decide(understanding([['bank.fees', 0.08], ['bank.limits', 0.01]]))).to.deep.equal({ kind: 'answer', intent: 'bank.fees' });
    expect(decide(understanding([['bank.fees', 0.3], ['bank.limits', 0.2]]))).to.deep.equal({ kind: 'choose', intents: ['bank.fees', 'bank.limits'] });
    expect(decide(understanding([['bank.fees', 0.3], ['visitor.parking', 0.2]]))).to.deep.equal({ kind: 'answer', intent: 'bank.fees' });
  });

  it('lets small talk win only short messages', () => {
    const result = understanding([['core.greeting', 0.3], ['bank.fees', 0.2]]);
    expect(decide(result)).to.deep.equal({ kind: 'answer', intent: 'bank.fees' });
    expect(decide({ ...result, text: 'hi there' })).to.deep.equal({ kind: 'answer', intent: 'core.greeting' });
  });

  it('applies minConfidence and confirm (precision) and recallFirst (recall)', () => {
    expect(decide(understanding([['visitor.emergency', 0.3], ['insurance.coverage', 0.2]]))).to.deep.equal({ kind: 'answer', intent: 'insurance.coverage' });
    expect(decide(understanding([['visitor.emergency', 0.3], ['bank.fees', 0.01]]))).to.deep.equal({ kind: 'confirm', intent: 'visitor.emergency' });
    expect(decide(understanding([['visitor.emergency', 0.9]], false, false))).to.deep.equal({ kind: 'answer', intent: 'visitor.emergency' });
    expect(decide(understanding([['core.human', 0.02], ['bank.fraud', 0.015]], true))).to.deep.equal({ kind: 'confirm', intent: 'bank.fraud' });
    expect(decide(understanding([['bank.fees', 0.02], ['bank.fraud', 0.018]], true)), 'out of scope, not the best topic').to.deep.equal({ kind: 'notUnderstood' });
    expect(decide(understanding([['bank.fraud', 0.006], ['bank.fees', 0.004]], true)), 'out of scope, far below the threshold').to.deep.equal({ kind: 'notUnderstood' });
    expect(decide(understanding([['bank.fees', 0.4], ['bank.fraud', 0.3]]))).to.deep.equal({ kind: 'confirm', intent: 'bank.fraud' });
  });
});
