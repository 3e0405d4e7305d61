import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { redact } from '../src/analytics/redact.js';
import type { PrescreenQuestion } from '../src/bot/handoff-requester.js';
import { getReplyLocale } from '../src/bot/turn-state.js';
import type { Locale } from '../src/config.js';
import { wantsToStop } from '../src/handoff/conversation/handoff-conversation.js';
import { fieldAccepts, localize } from '../src/handoff/skills.js';
import type { DialogServices } from './dialog-services.js';

export const PRESCREEN_DIALOG = 'prescreen';
const ANSWER_PROMPT = 'prescreen-answer';
const STEPS = 'prescreen-steps';

export interface PrescreenOptions {
  readonly questions: readonly PrescreenQuestion[];
  /** The question asked now; the answers so far, redacted. */
  readonly index?: number;
  readonly answers?: Readonly<Record<string, string>>;
}

/**
 * Pre-screening before a person takes over: asks the skill's fields one by one in the reply
 * language, asks again (with the field's own hint) until an answer matches the field's pattern,
 * keeps the answers redacted, then has the handoff queue the conversation with them. "Cancel" or
 * the same in the customer's own words (`core.cancel`) at any question goes back to the bot.
 * The text it checks is already bounded: every channel's message passes the inbound text cap.
 */
export class PrescreenDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(PRESCREEN_DIALOG);
    this.addDialog(new TextPrompt(ANSWER_PROMPT, (prompt) => this.matchesPattern(prompt)));
    this.addDialog(new WaterfallDialog(STEPS, [(step) => this.ask(step), (step) => this.remember(step)]));
    this.initialDialogId = STEPS;
  }

  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    if (wantsToStop(inner.context, (inner.context.activity.text ?? '').trim())) {
      await this.services.handoff?.cancelPrescreen(inner.context);
      return inner.cancelAllDialogs();
    }
    return super.onContinueDialog(inner);
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { questions, index = 0, answers = {} } = step.options as PrescreenOptions;
    const question = questions[index];
    if (!question) {
      await this.services.handoff?.completePrescreen(step.context, answers);
      return step.endDialog(answers);
    }
    const locale = this.locale(step);
    const prompt = localize(question.prompt, locale);
    const invalid = localize(question.invalid, locale, this.services.i18n.t('handoff:prescreenInvalid', { lng: locale }));
    return step.prompt(ANSWER_PROMPT, { prompt, retryPrompt: `${invalid} ${prompt}`, validations: question });
  }

  private async remember(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as PrescreenOptions;
    const index = options.index ?? 0;
    const question = options.questions[index]!;
    const answers = { ...options.answers, [question.id]: redact(String(step.result).trim()) };
    return step.replaceDialog(STEPS, { questions: options.questions, index: index + 1, answers } satisfies PrescreenOptions);
  }

  private async matchesPattern(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const { pattern } = prompt.options.validations as PrescreenQuestion;
    const answer = (prompt.recognized.value ?? '').trim();
    return prompt.recognized.succeeded && fieldAccepts({ pattern }, answer);
  }

  private locale(step: WaterfallStepContext): Locale {
    return getReplyLocale(step.context) ?? this.services.defaultLocale;
  }
}
