import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { getReplyLocale } from '../src/bot/turn-state.js';
import type { Locale } from '../src/config.js';
import type { OfferedChoice } from './choices.js';
import type { DialogServices } from './dialog-services.js';
import { SlotPrompt, type SlotExpectation } from './slot-prompt.js';

export const CSAT_DIALOG = 'csat';
const SCORE_PROMPT = 'csat-score';
const COMMENT_PROMPT = 'csat-comment';
const STEPS = 'csat-steps';

/**
 * The satisfaction survey at the end of a conversation the bot resolved: a 1–5 rating
 * (by number or by its label) and an optional comment, handed to the CSAT recorder.
 * Conversations an agent resolved get the handoff's own survey; both read the rating with
 * `readCsatScore`, so "4/5", "四", "4 stars" or a label count the same in either.
 */
export class CsatDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(CSAT_DIALOG);
    this.addDialog(new SlotPrompt(SCORE_PROMPT));
    this.addDialog(new TextPrompt(COMMENT_PROMPT));
    this.addDialog(new WaterfallDialog(STEPS, [(step) => this.askScore(step), (step) => this.askComment(step), (step) => this.thank(step)]));
    this.initialDialogId = STEPS;
  }

  private async askScore(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = this.locale(step);
    const labels = this.services.i18n.t('dialogs:csat.labels', { lng: locale, returnObjects: true }) as string[];
    const choices: OfferedChoice[] = labels.map((title, index) => ({ value: String(index + 1), title }));
    const expectation: SlotExpectation = { slot: 'score', choices, readAs: 'csat-score' };
    const data = await this.services.conversationData.get(step.context, {});
    data.askingSlot = expectation;
    const question = this.services.i18n.t('dialogs:csat.ask', { lng: locale });
    return step.prompt(SCORE_PROMPT, { prompt: question, retryPrompt: question, validations: expectation });
  }

  private async askComment(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const score = Number(step.result);
    const data = await this.services.conversationData.get(step.context, {});
    data.askingSlot = undefined;
    if (!Number.isInteger(score) || score < 1 || score > 5) return step.endDialog();
    (step.values as { score?: number }).score = score;
    return step.prompt(COMMENT_PROMPT, { prompt: this.services.i18n.t('dialogs:csat.comment', { lng: this.locale(step) }) });
  }

  private async thank(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = this.locale(step);
    const text = String(step.result ?? '').trim();
    const none = this.services.i18n.t('dialogs:csat.none', { lng: locale, returnObjects: true }) as string[];
    const comment = text === '' || none.some((word) => word.toLowerCase() === text.toLowerCase().replace(/[.!。！]$/u, '')) ? null : text;
    this.services.csat?.record(step.context, { score: (step.values as { score: number }).score, comment });
    await step.context.sendActivity(this.services.i18n.t('dialogs:csat.thanks', { lng: locale }));
    return step.endDialog();
  }

  private locale(step: WaterfallStepContext): Locale {
    return getReplyLocale(step.context) ?? this.services.defaultLocale;
  }
}
