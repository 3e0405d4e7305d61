import { randomUUID } from 'node:crypto';
import { TestAdapter, type Activity } from 'botbuilder';
import { createCarebot, type Carebot } from '../../src/app.js';
import type { HandoffRequest, HandoffRequester } from '../../src/bot/handoff-requester.js';
import { loadConfig } from '../../src/config.js';
import { memoryLogger } from './silent-logger.js';

export interface DialogBot {
  carebot: Carebot;
  /** A conversation on `channelId` as user `userId`; each call opens a new conversation. */
  conversation(options?: { channelId?: string; userId?: string; locale?: string }): TestAdapter;
  handoffs: HandoffRequest[];
  close(): Promise<void>;
}

/** The whole carebot (content, NLU, dialogs, identity directory) on botbuilder's TestAdapter. */
export async function createDialogBot(env: Record<string, string> = {}): Promise<DialogBot> {
  const handoffs: HandoffRequest[] = [];
  const handoffRequester: HandoffRequester = {
    async request(context, request) {
      handoffs.push(request);
      await context.sendActivity('[handoff requested]');
      return true;
    },
    // It queues at once: it never pre-screens nor surveys an agent's chat, so the dialogs never report back.
    pendingDialog: async () => undefined,
    completePrescreen: unreachable,
    cancelPrescreen: unreachable,
    recordSurvey: unreachable,
    declineSurvey: unreachable,
  };
  // The recognizers' budget is wall time: on a busy machine the default (100 ms) can run out on
  // an ordinary message, drop its date and change the answer. Dialog tests are about answers;
  // test/dialogs/recognizer-budget.test.ts is about running out.
  const config = loadConfig({ NODE_ENV: 'test', KNOWLEDGE_WATCH: 'false', HANDOFF_ENABLED: 'false', NLU_RECOGNIZER_BUDGET_MS: '10000', ...env });
  const carebot = await createCarebot(config, {
    logger: memoryLogger('silent').logger,
    handoffRequester,
  });
  return {
    carebot,
    handoffs,
    conversation(options = {}) {
      const adapter = new TestAdapter((context) => carebot.bot.run(context), {
        channelId: options.channelId ?? 'test',
        conversation: { id: `conversation-${randomUUID()}`, isGroup: false, name: '' },
        from: { id: options.userId ?? `user-${randomUUID()}`, name: 'User' },
        recipient: { id: 'carebot', name: 'carebot' },
        ...(options.locale ? { locale: options.locale } : {}),
      } as unknown as Partial<Activity>);
      return carebot.bot.attachTo(adapter);
    },
    close: () => carebot.close(),
  };
}

function unreachable(): never {
  throw new Error('the test handoff has no pre-screening or agent survey');
}

/** The answer id a dialog attached to its reply (`intent#variant`), if any. */
export function answerIdOf(activity: Partial<Activity>): string | undefined {
  return (activity.value as { answerId?: string } | undefined)?.answerId;
}

/** The titles of the choices a reply offers. */
export function choiceTitles(activity: Partial<Activity>): string[] {
  return (activity.suggestedActions?.actions ?? []).map((action) => String(action.title));
}
