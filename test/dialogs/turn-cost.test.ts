import { ComponentRegistration, TurnContext, type Activity } from 'botbuilder';
import { DialogSet } from 'botbuilder-dialogs';
import { expect } from 'chai';
import { createDialogBot, type DialogBot } from '../support/dialog-bot.js';

/** Counts reads of ComponentRegistration.components: botbuilder-dialogs reads it whenever it builds its memory-scope configuration. */
function countConfigurationBuilds(): { count: () => number; restore: () => void } {
  const descriptor = Object.getOwnPropertyDescriptor(ComponentRegistration, 'components')!;
  let reads = 0;
  Object.defineProperty(ComponentRegistration, 'components', {
    configurable: true,
    get() {
      reads += 1;
      return descriptor.get!.call(this);
    },
  });
  return { count: () => reads, restore: () => Object.defineProperty(ComponentRegistration, 'components', descriptor) };
}

describe('dialogs: per-turn cost', function () {
  this.timeout(60000);
  let bot: DialogBot;

  before(async () => {
    bot = await createDialogBot();
  });

  after(async () => {
    await bot?.close();
  });

  it('builds the dialog memory-scope configuration once, not on every turn', async () => {
    // A slot question runs as a dialog: the first one builds the configuration.
    await bot.conversation().send('how much social insurance do I pay').assertReply(() => undefined);
    const builds = countConfigurationBuilds();
    try {
      const conversation = bot.conversation();
      await conversation.send('how much social insurance do I pay').assertReply(() => undefined);
      await conversation.send('Shenzhen').assertReply(() => undefined);
      await conversation.send('年假有几天').assertReply(() => undefined);
      expect(builds.count()).to.equal(0);
    } finally {
      builds.restore();
    }
  });

  it('answers a question that needs no slot without building a DialogContext, and one that does through the dialog', async () => {
    const original = DialogSet.prototype.createContext;
    let built = 0;
    DialogSet.prototype.createContext = function (this: DialogSet, context: TurnContext) {
      built += 1;
      return original.call(this, context);
    };
    try {
      const conversation = bot.conversation();
      await conversation.send('年假有几天').assertReply((reply) => expect(reply.text).to.match(/年假|天/));
      await conversation.send('thanks').assertReply(() => undefined);
      expect(built).to.equal(0);
      await conversation.send('how much social insurance do I pay').assertReply((reply) => expect(reply.text).to.match(/city|Where/i));
      expect(built).to.equal(1);
      await conversation.send('Shenzhen').assertReply(() => undefined);
      expect(built).to.equal(2);
    } finally {
      DialogSet.prototype.createContext = original;
    }
  });

  it('keeps a conversation\'s state the same size however long it runs', async () => {
    const conversation = bot.conversation();
    const questions = ['how much social insurance do I pay', 'Shenzhen', 'foreign employee', '年假有几天', 'thanks'];
    // The state as stored between turns: what every later turn loads, hashes and saves again.
    const stateSize = async (): Promise<number> => {
      const context = new TurnContext(conversation, { ...conversation.template, type: 'message', text: '' } as Activity);
      return JSON.stringify(await bot.carebot.bot.conversationState.load(context)).length;
    };
    for (let i = 0; i < 60; i += 1) await conversation.send(questions[i % questions.length]!);
    const after60 = await stateSize();
    for (let i = 0; i < 120; i += 1) await conversation.send(questions[i % questions.length]!);
    const after180 = await stateSize();
    // Equal but for the digits of the turn count: what a conversation remembers (intents seen…) is capped.
    expect(after180).to.be.at.most(after60 + 2);
  });
});
