import type { TurnContext } from 'botbuilder';
import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogContext, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { RatedChat } from '../src/bot/handoff-requester.js';
import { getReplyLocale } from '../src/bot/turn-state.js';
import type { Locale } from '../src/config.js';
import { wantsToStop } from '../src/handoff/conversation/handoff-conversation.js';
import { isSkip } from '../src/handoff/conversation-text.js';
import type { OfferedChoice } from './choices.js';
import type { DialogServices } from './dialog-services.js';
import { recognizeSlotValue, SlotPrompt, type SlotExpectation } from './slot-prompt.js';

export const CSAT_DIALOG = 'csat';
const SCORE_PROMPT = 'csat-score';
/** The rating of an agent's chat asked again: a "cancel" there declines the survey. */
const AGENT_SCORE_PROMPT = 'csat-agent-score';
const COMMENT_PROMPT = 'csat-comment';
const STEPS = 'csat-steps';

export interface CsatOptions {
  /** The agent's chat rated (the handoff's survey); the bot's own conversation when absent. */
  readonly rates?: RatedChat | undefined;
}

/**
 * The one satisfaction survey: a 1–5 rating (read by `readCsatScore`, so "4/5", "四", "4 stars" or
 * a label count the same) and an optional comment. For a conversation the bot resolved it asks on
 * goodbye and hands the answer to the CSAT recorder. For an agent's chat the handoff's closing
 * notice has asked already, so the message that begins it is the rating; the answer goes to the
 * handoff, which records it for the agent and thanks the customer.
 */
export class CsatDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(CSAT_DIALOG);
    this.addDialog(new SlotPrompt(SCORE_PROMPT));
    this.addDialog(new SlotPrompt(AGENT_SCORE_PROMPT));
    this.addDialog(new TextPrompt(COMMENT_PROMPT));
    this.addDialog(new WaterfallDialog(STEPS, [(step) => this.askScore(step), (step) => this.askComment(step), (step) => this.thank(step)]));
    this.initialDialogId = STEPS;
  }

  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    if (inner.activeDialog?.id === AGENT_SCORE_PROMPT && wantsToStop(inner.context, (inner.context.activity.text ?? '').trim())) {
      await this.decline(inner.context);
      return inner.cancelAllDialogs();
    }
    return super.onContinueDialog(inner);
  }

  private async askScore(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { rates } = (step.options ?? {}) as CsatOptions;
    const locale = this.locale(step);
    const labels = this.services.i18n.t('dialogs:csat.labels', { lng: locale, returnObjects: true }) as string[];
    const choices: OfferedChoice[] = labels.map((title, index) => ({ value: String(index + 1), title }));
    const expectation: SlotExpectation = { slot: 'score', choices, readAs: 'csat-score' };
    const data = await this.services.conversationData.get(step.context, {});
    data.askingSlot = expectation;
    if (rates) {
      const score = recognizeSlotValue(step.context, expectation);
      if (score !== undefined) return step.next(score);
      if (wantsToStop(step.context, (step.context.activity.text ?? '').trim())) {
        await this.decline(step.context);
        return step.endDialog();
      }
      // Asked again as plain text, as the closing notice asked it (a kiosk shows its rating buttons).
      const again = this.services.i18n.t('handoff:surveyInvalid', { lng: locale });
      return step.prompt(AGENT_SCORE_PROMPT, { prompt: again, retryPrompt: again, validations: { ...expectation, choicesOffered: true } satisfies SlotExpectation });
    }
    const question = this.services.i18n.t('dialogs:csat.ask', { lng: locale });
    return step.prompt(SCORE_PROMPT, { prompt: question, retryPrompt: question, validations: expectation });
  }

  private async askComment(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { rates } = (step.options ?? {}) as CsatOptions;
    const score = Number(step.result);
    const data = await this.services.conversationData.get(step.context, {});
    data.askingSlot = undefined;
    if (!Number.isInteger(score) || score < 1 || score > 5) return step.endDialog();
    (step.values as { score?: number }).score = score;
    return step.prompt(COMMENT_PROMPT, { prompt: this.services.i18n.t(rates ? 'handoff:surveyComment' : 'dialogs:csat.comment', { lng: this.locale(step) }) });
  }

  private async thank(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { rates } = (step.options ?? {}) as CsatOptions;
    const locale = this.locale(step);
    const answer = { score: (step.values as { score: number }).score, comment: this.commentOf(String(step.result ?? ''), locale) };
    if (rates) {
      await this.services.handoff?.recordSurvey(step.context, rates, answer);
      return step.endDialog();
    }
    this.services.csat?.record(step.context, answer);
    await step.context.sendActivity(this.services.i18n.t('dialogs:csat.thanks', { lng: locale }));
    return step.endDialog();
  }

  /** No comment: an empty reply, "skip", or one of the language's "nothing to add" words. */
  private commentOf(reply: string, locale: Locale): string | null {
    const text = reply.trim();
    const none = this.services.i18n.t('dialogs:csat.none', { lng: locale, returnObjects: true }) as string[];
    const bare = text.toLowerCase().replace(/[.!。！]$/u, '');
    return text === '' || isSkip(text) || none.some((word) => word.toLowerCase() === bare) ? null : text;
  }

  private async decline(context: TurnContext): Promise<void> {
    (await this.services.conversationData.get(context, {})).askingSlot = undefined;
    await this.services.handoff?.declineSurvey(context);
  }

  private locale(step: WaterfallStepContext): Locale {
    return getReplyLocale(step.context) ?? this.services.defaultLocale;
  }
}
