import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { redact } from '../../analytics/redact.js';
import type { CsatAnswer } from '../../bot/csat-recorder.js';
import type { RatedChat } from '../../bot/handoff-requester.js';
import type { Locale } from '../../config.js';
import type { CsatEntry, CsatStore } from '../csat-store.js';
import { staged, type CustomerNotices } from '../customer-notices.js';
import type { HandoffLifecycle } from '../handoff-lifecycle.js';
import { backToBot, replyLocale, type HandoffConversation } from './handoff-conversation.js';

export interface SurveyAnswersDeps {
  readonly state: StatePropertyAccessor<HandoffConversation>;
  readonly csat: CsatStore;
  readonly notices: CustomerNotices;
  readonly lifecycle: HandoffLifecycle;
  readonly defaultLocale: Locale;
  readonly now: () => number;
}

/**
 * Where the survey of an agent's chat ends: the dialogs ask it (dialogs/csat-dialog.ts, the same
 * dialog as the bot's own survey); the answer is recorded for the agent (the CSAT store and the
 * lifecycle's `csat` event), and the bot takes the conversation back.
 */
export class SurveyAnswers {
  constructor(private readonly deps: SurveyAnswersDeps) {}

  async record(context: TurnContext, rates: RatedChat, answer: CsatAnswer): Promise<void> {
    const entry: CsatEntry = {
      handoffId: rates.handoffId,
      agentId: rates.agentId,
      skill: rates.skill,
      channelId: context.activity.channelId,
      customerId: context.activity.from?.id ?? '',
      score: answer.score,
      comment: answer.comment === null ? undefined : redact(answer.comment),
      at: new Date(this.deps.now()).toISOString(),
    };
    await this.deps.csat.record(entry);
    this.deps.lifecycle.emit({ type: 'csat', entry, at: this.deps.now() });
    backToBot(await this.deps.state.get(context, { mode: 'bot' }));
    await context.sendActivity(staged(this.deps.notices.text(this.locale(context), 'surveyThanks'), 'none'));
  }

  async decline(context: TurnContext): Promise<void> {
    backToBot(await this.deps.state.get(context, { mode: 'bot' }));
    await context.sendActivity(staged(this.deps.notices.text(this.locale(context), 'declined'), 'none'));
  }

  private locale(context: TurnContext): Locale {
    return replyLocale(context, this.deps.defaultLocale);
  }
}
