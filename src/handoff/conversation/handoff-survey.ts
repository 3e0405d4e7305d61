import type { TurnContext } from 'botbuilder';
import { redact } from '../../analytics/redact.js';
import type { Locale } from '../../config.js';
import { readCsatScore } from '../../bot/csat-score.js';
import { getTurnUnderstanding } from '../../bot/turn-understanding.js';
import { isSkip } from '../conversation-text.js';
import type { CsatEntry, CsatStore } from '../csat-store.js';
import { staged, type CustomerNotices } from '../customer-notices.js';
import type { HandoffLifecycle } from '../handoff-lifecycle.js';
import { backToBot, replyLocale, wantsToStop, type HandoffConversation } from './handoff-conversation.js';

export interface HandoffSurveyDeps {
  readonly csat: CsatStore;
  readonly notices: CustomerNotices;
  readonly lifecycle: HandoffLifecycle;
  readonly defaultLocale: Locale;
  readonly now: () => number;
}

/** The survey after an agent resolved the chat: a 1–5 score, then an optional comment, recorded for the agent. */
export class HandoffSurvey {
  constructor(private readonly deps: HandoffSurveyDeps) {}

  /** True when the survey took the turn. */
  async handle(context: TurnContext, state: HandoffConversation, text: string): Promise<boolean> {
    const { notices } = this.deps;
    const locale = replyLocale(context, this.deps.defaultLocale);
    const survey = state.survey;
    if (!survey) {
      backToBot(state);
      return false;
    }
    if (survey.score === undefined) {
      const score = readCsatScore(text, notices.csatLabels(locale), getTurnUnderstanding(context)?.entities);
      if (score === undefined) {
        if (wantsToStop(context, text)) {
          backToBot(state);
          await context.sendActivity(staged(notices.text(locale, 'declined'), 'none'));
        } else {
          await context.sendActivity(notices.text(locale, 'surveyInvalid'));
        }
        return true;
      }
      survey.score = score;
      await context.sendActivity(notices.text(locale, 'surveyComment'));
      return true;
    }
    const entry: CsatEntry = {
      handoffId: survey.handoffId,
      agentId: survey.agentId,
      skill: survey.skill,
      channelId: context.activity.channelId,
      customerId: context.activity.from?.id ?? '',
      score: survey.score,
      comment: isSkip(text) ? undefined : redact(text),
      at: new Date(this.deps.now()).toISOString(),
    };
    await this.deps.csat.record(entry);
    this.deps.lifecycle.emit({ type: 'csat', entry, at: this.deps.now() });
    backToBot(state);
    await context.sendActivity(staged(notices.text(locale, 'surveyThanks'), 'none'));
    return true;
  }
}
