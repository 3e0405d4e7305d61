import type { ConversationState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogContext, type DialogInstance, type DialogState, type DialogStateManagerConfiguration } from 'botbuilder-dialogs';
import type { HandoffRequest } from '../src/bot/handoff-requester.js';
import { getTurnContent, type ContentSnapshot } from '../src/bot/turn-content.js';
import { getReplyLocale } from '../src/bot/turn-state.js';
import { getTurnUnderstanding } from '../src/bot/turn-understanding.js';
import { TurnCachedProperty } from '../src/state/turn-cached-property.js';
import type { Locale } from '../src/config.js';
import { AnswerDialog, ANSWER_DIALOG, type AnswerOptions } from './answer-dialog.js';
import { matchChoice, messageWithChoices } from './choices.js';
import { CsatDialog, CSAT_DIALOG, type CsatOptions } from './csat-dialog.js';
import { handOff } from './hand-off.js';
import { decideIntent, type PolicyDecision } from './intent-policy.js';
import type { DialogConversationData, DialogServices, PendingChoice } from './dialog-services.js';
import { PrescreenDialog, PRESCREEN_DIALOG, type PrescreenOptions } from './prescreen-dialog.js';
import { recognizeSlotValue } from './slot-prompt.js';

/** Intents of the built-in `core` pack that the dialogs handle themselves. */
const CORE = {
  greeting: 'core.greeting',
  thanks: 'core.thanks',
  goodbye: 'core.goodbye',
  help: 'core.help',
  human: 'core.human',
  cancel: 'core.cancel',
} as const;

const HELP_TOPICS = 6;
const SUGGESTIONS = 3;

/**
 * Where botbuilder-dialogs looks for a turn's memory-scope configuration before building it anew
 * (dialogStateManager.js): it builds it on every turn otherwise (~3% of a turn). The scopes hold
 * no state, so one configuration serves every turn.
 */
const DIALOG_STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

/**
 * The turn's DialogContext, built when a dialog is on the stack or about to begin: a turn
 * answered in one step (most of them) never builds one, nor its memory scopes.
 */
class TurnDialogs {
  private dc: Promise<DialogContext> | undefined;

  constructor(
    readonly context: TurnContext,
    private readonly state: DialogState,
    private readonly open: () => Promise<DialogContext>,
  ) {}

  /** The DialogContext, built on first use. */
  get(): Promise<DialogContext> {
    return (this.dc ??= this.open());
  }

  /** The dialog on top of the stack, if any, read without building the context (DialogContext.activeDialog reads the same array). */
  get activeDialog(): DialogInstance | undefined {
    return this.state.dialogStack[0];
  }
}

/**
 * The shared dialogs: every channel's messages end here, and what they answer depends on the
 * message, who the user is and where, never on the channel.
 */
export class CarebotDialogs {
  private readonly dialogs: DialogSet;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly answerDialog: AnswerDialog;
  private stateManagerConfiguration: DialogStateManagerConfiguration | undefined;

  constructor(
    conversationState: ConversationState,
    private readonly services: DialogServices,
  ) {
    this.dialogState = TurnCachedProperty.of<DialogState>(conversationState, 'dialogState');
    this.dialogs = new DialogSet(this.dialogState);
    this.answerDialog = new AnswerDialog(services);
    this.dialogs.add(this.answerDialog);
    this.dialogs.add(new CsatDialog(services));
    this.dialogs.add(new PrescreenDialog(services));
  }

  async onMessage(context: TurnContext): Promise<void> {
    const content = getTurnContent(context);
    if (!content) throw new Error('No content snapshot in turn state: UnderstandingMiddleware must run before the dialogs');
    const text = (context.activity.text ?? '').trim();
    const data = await this.services.conversationData.get(context, {});
    const pending = data.pendingChoices ?? [];
    data.pendingChoices = undefined;

    const understanding = getTurnUnderstanding(context);
    const decision = decideIntent(understanding, (id) => content.knowledge.intent(id), content.nlu.oosThreshold);
    const state = await this.dialogState.get(context, { dialogStack: [] });
    // DialogContext replaces a missing stack the same way: `state.dialogStack` is then its stack.
    if (!Array.isArray(state.dialogStack)) state.dialogStack = [];
    const dialogs = new TurnDialogs(context, state, () => this.createContext(context));
    if (await this.runHandoffDialog(dialogs, data)) return;
    await this.answer(dialogs, content, data, decision, pending, text);
    // A handoff requested while answering ("a person, please", a topic that goes to a person) may pre-screen first.
    await this.runHandoffDialog(dialogs, data);
  }

  private async createContext(context: TurnContext): Promise<DialogContext> {
    if (this.stateManagerConfiguration) context.turnState.set(DIALOG_STATE_MANAGER_CONFIGURATION, this.stateManagerConfiguration);
    const dc = await this.dialogs.createContext(context);
    this.stateManagerConfiguration ??= dc.state.configuration;
    return dc;
  }

  /**
   * The handoff's own questions hold the conversation until they end: pre-screening before a
   * person takes over, and the survey of an agent's chat (begun by the message that answers the
   * closing notice's rating question). A stack left from an earlier handoff is dropped first.
   */
  private async runHandoffDialog(dialogs: TurnDialogs, data: DialogConversationData): Promise<boolean> {
    const pending = await this.services.handoff?.pendingDialog(dialogs.context);
    if (!pending) {
      // The handoff ended it meanwhile (the customer left): nothing of it may answer this message.
      if (data.handoffDialogOf) await this.dropDialogs(await dialogs.get(), data);
      return false;
    }
    const dc = await dialogs.get();
    if (data.handoffDialogOf === pending.handoffId && dc.activeDialog) {
      await dc.continueDialog();
    } else {
      await this.dropDialogs(dc, data);
      data.handoffDialogOf = pending.handoffId;
      if (pending.kind === 'prescreen') await dc.beginDialog(PRESCREEN_DIALOG, { questions: pending.questions } satisfies PrescreenOptions);
      else await dc.beginDialog(CSAT_DIALOG, { rates: pending.rates } satisfies CsatOptions);
    }
    if (!dc.activeDialog) data.handoffDialogOf = undefined;
    return true;
  }

  private async dropDialogs(dc: DialogContext, data: DialogConversationData): Promise<void> {
    await dc.cancelAllDialogs();
    data.askingIntent = undefined;
    data.askingSlot = undefined;
    data.handoffDialogOf = undefined;
  }

  private async answer(dialogs: TurnDialogs, content: ContentSnapshot, data: DialogConversationData, decision: PolicyDecision, pending: readonly PendingChoice[], text: string): Promise<void> {
    const { context } = dialogs;
    const active = dialogs.activeDialog;
    if (active) {
      // The survey's free-text comment is never taken for a new question.
      const writingComment = active.id === CSAT_DIALOG && !data.askingSlot;
      if (!writingComment && this.isNewQuestion(context, decision, data)) {
        await this.dropDialogs(await dialogs.get(), data);
      } else {
        const result = await (await dialogs.get()).continueDialog();
        if (result.status !== DialogTurnStatus.empty) return;
      }
    }

    const chosen = matchChoice(text, pending);
    if (chosen) {
      await this.onChoice(dialogs, chosen);
      return;
    }
    switch (decision.kind) {
      case 'answer':
        await this.onIntent(dialogs, decision.intent);
        return;
      case 'confirm':
        await this.confirmIntent(context, content, decision.intent);
        return;
      case 'choose':
        await this.askWhichOne(context, content, decision.intents);
        return;
      case 'notUnderstood':
        await this.onNotUnderstood(context, content);
        return;
    }
  }

  /**
   * While a slot question is open: a reply that does not answer it but is a clear, different
   * question is answered instead; "never mind" in the user's own words (`core.cancel`) is one.
   */
  private isNewQuestion(context: TurnContext, decision: PolicyDecision, data: DialogConversationData): boolean {
    if (data.askingSlot && recognizeSlotValue(context, data.askingSlot) !== undefined) return false;
    return decision.kind === 'answer' && decision.intent !== data.askingIntent;
  }

  private async onIntent(dialogs: TurnDialogs, intent: string): Promise<void> {
    const { context } = dialogs;
    const content = getTurnContent(context)!;
    const data = await this.services.conversationData.get(context, {});
    data.consecutiveFallbacks = 0;
    switch (intent) {
      case CORE.greeting:
        await context.sendActivity(this.t(context, 'common:greeting'));
        return;
      case CORE.thanks:
        await context.sendActivity(this.t(context, 'dialogs:thanks'));
        return;
      case CORE.goodbye:
        // A conversation the bot resolved ends with the satisfaction survey (once per conversation).
        if (this.services.csat && (data.intentsSeen?.length ?? 0) > 0 && !data.surveyed) {
          data.surveyed = true;
          await (await dialogs.get()).beginDialog(CSAT_DIALOG);
          return;
        }
        await context.sendActivity(this.t(context, 'dialogs:goodbye'));
        return;
      case CORE.help:
        await this.sendHelp(context, content);
        return;
      case CORE.human:
        await this.handOff(context, { reason: 'explicit', intent });
        return;
    }
    const info = content.knowledge.intent(intent);
    if (!info) {
      await this.onNotUnderstood(context, content);
      return;
    }
    // Topics flagged `handoff: true` are handed off by the answer dialog once answered. Only an
    // answer that needs a question first runs as a dialog: its stack waits for the reply.
    if (await this.answerDialog.answerAtOnce(context, intent)) return;
    await (await dialogs.get()).beginDialog(ANSWER_DIALOG, { intent } satisfies AnswerOptions);
  }

  private async onChoice(dialogs: TurnDialogs, choice: PendingChoice): Promise<void> {
    const { context } = dialogs;
    switch (choice.action) {
      case 'intent':
        await this.onIntent(dialogs, choice.value);
        return;
      case 'handoff':
        await this.handOff(context, { reason: 'fallback' });
        return;
      case 'dismiss':
        (await this.services.conversationData.get(context, {})).consecutiveFallbacks = 0;
        await context.sendActivity(this.t(context, 'dialogs:offerDeclined'));
        return;
      case 'neither':
        // None of the offered topics: still a miss, so the offer of a person comes on time.
        await this.onNotUnderstood(context, getTurnContent(context)!, 'neither');
        return;
    }
  }

  /**
   * Rephrase, then suggestions, then (after the configured number of misses) an offer of a
   * person. Every miss counts, including a "neither" to a "did you mean" (answered with a request
   * for more detail rather than with suggestions: the user just turned some down).
   */
  private async onNotUnderstood(context: TurnContext, content: ContentSnapshot, miss: 'unclear' | 'neither' = 'unclear'): Promise<void> {
    const data = await this.services.conversationData.get(context, {});
    const misses = (data.consecutiveFallbacks ?? 0) + 1;
    data.consecutiveFallbacks = misses;
    if (misses >= this.services.fallbacksBeforeHandoffOffer && this.services.handoff) {
      const choices: PendingChoice[] = [
        { value: 'handoff', title: this.t(context, 'dialogs:offerHumanYes'), action: 'handoff', answer: 'yes' },
        { value: 'dismiss', title: this.t(context, 'dialogs:offerHumanNo'), action: 'dismiss', answer: 'no' },
      ];
      data.pendingChoices = choices;
      await context.sendActivity(messageWithChoices(this.t(context, 'dialogs:offerHuman'), choices));
      return;
    }
    if (miss === 'neither') {
      await context.sendActivity(this.t(context, 'dialogs:neitherReply'));
      return;
    }
    if (misses === 1) {
      await context.sendActivity(this.t(context, 'dialogs:rephrase'));
      return;
    }
    const suggestions = this.topicChoices(context, content, SUGGESTIONS);
    data.pendingChoices = suggestions;
    await context.sendActivity(messageWithChoices(this.t(context, 'dialogs:suggest'), suggestions));
  }

  private async askWhichOne(context: TurnContext, content: ContentSnapshot, intents: readonly string[]): Promise<void> {
    const locale = this.locale(context);
    const choices: PendingChoice[] = intents.map((intent) => ({ value: intent, title: content.knowledge.title(intent, locale), action: 'intent' }));
    choices.push({ value: 'neither', title: this.t(context, 'dialogs:neither'), action: 'neither' });
    (await this.services.conversationData.get(context, {})).pendingChoices = choices;
    await context.sendActivity(messageWithChoices(this.t(context, 'dialogs:didYouMean'), choices));
  }

  /** A high-stakes intent the NLU is not sure enough of: a yes/no question before acting on it. */
  private async confirmIntent(context: TurnContext, content: ContentSnapshot, intent: string): Promise<void> {
    const choices: PendingChoice[] = [
      { value: intent, title: this.t(context, 'dialogs:confirmYes'), action: 'intent', answer: 'yes' },
      { value: 'neither', title: this.t(context, 'dialogs:confirmNo'), action: 'neither', answer: 'no' },
    ];
    (await this.services.conversationData.get(context, {})).pendingChoices = choices;
    await context.sendActivity(messageWithChoices(this.t(context, 'dialogs:confirmIntent', { topic: content.knowledge.title(intent, this.locale(context)) }), choices));
  }

  private async sendHelp(context: TurnContext, content: ContentSnapshot): Promise<void> {
    const locale = this.locale(context);
    const packs = content.knowledge.packs.filter((pack) => pack.id !== 'core').map((pack) => pack.titles[locale]);
    const separator = this.t(context, 'dialogs:list.comma');
    const choices = this.topicChoices(context, content, HELP_TOPICS);
    (await this.services.conversationData.get(context, {})).pendingChoices = choices;
    await context.sendActivity(messageWithChoices(this.t(context, 'dialogs:help', { packs: packs.join(separator) }), choices));
  }

  private topicChoices(context: TurnContext, content: ContentSnapshot, limit: number): PendingChoice[] {
    const locale = this.locale(context);
    return content.knowledge.topIntents(limit).map((intent) => ({ value: intent.id, title: intent.titles[locale], action: 'intent' }));
  }

  private handOff(context: TurnContext, request: HandoffRequest): Promise<void> {
    return handOff(context, this.services, request);
  }

  private locale(context: TurnContext): Locale {
    return getReplyLocale(context) ?? this.services.defaultLocale;
  }

  private t(context: TurnContext, key: string, values: Record<string, string> = {}): string {
    return this.services.i18n.t(key, { lng: this.locale(context), ...values });
  }
}
