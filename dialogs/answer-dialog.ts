import type { TurnContext } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { getReplyLocale } from '../src/bot/turn-state.js';
import { getTurnContent, type ContentSnapshot } from '../src/bot/turn-content.js';
import { getTurnUnderstanding } from '../src/bot/turn-understanding.js';
import type { Locale } from '../src/config.js';
import { factKeyOf, factsFromEntities, isStatedAboutUser } from '../src/knowledge/facts.js';
import { entitiesCutShort, factEntitiesOf } from '../src/nlu/lazy-entities.js';
import type { Entity } from '../src/nlu/types.js';
import type { Facts, Resolution } from '../src/knowledge/types.js';
import { messageWithChoices } from './choices.js';
import type { DialogServices, PendingChoice } from './dialog-services.js';
import { handOff } from './hand-off.js';
import { SlotPrompt, type SlotExpectation } from './slot-prompt.js';

export const ANSWER_DIALOG = 'answer';
const SLOT_PROMPT = 'slot';
const STEPS = 'answer-steps';
const MAX_RELATED = 3;

/**
 * Up to three topics to offer next: the content's curated related topics and what users
 * actually asked next in past conversations, alternating, without repeats.
 */
export function nextBestActions(curated: readonly string[], learned: readonly string[], current: string): string[] {
  const merged: string[] = [];
  for (let i = 0; i < Math.max(curated.length, learned.length); i += 1) {
    for (const id of [curated[i], learned[i]]) if (id && id !== current && !merged.includes(id)) merged.push(id);
  }
  return merged;
}

export interface AnswerOptions {
  readonly intent: string;
  /** Facts the user stated earlier in this question ("does Travel Guard cover a sprain?"), kept while its slots are asked. */
  readonly stated?: Facts | undefined;
}

/**
 * Answers one intent: asks for each fact the answer needs and is not known yet, remembers the
 * answers in the user's profile, then sends the variant that fits who and where the user is,
 * with up to three related topics to ask next.
 */
export class AnswerDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(ANSWER_DIALOG);
    this.addDialog(new SlotPrompt(SLOT_PROMPT));
    this.addDialog(new WaterfallDialog(STEPS, [(step) => this.resolveStep(step), (step) => this.rememberStep(step)]));
    this.initialDialogId = STEPS;
  }

  /**
   * Answers at once when the answer needs no question: true when the turn is done, false when a
   * fact must be asked first (begin the dialog then). A one-step answer needs no DialogContext,
   * and building one (with its memory scopes) and running this component and its waterfall cost
   * more than the rest of such a turn's dialog work.
   */
  async answerAtOnce(context: TurnContext, intent: string): Promise<boolean> {
    const resolved = await this.resolve(context, intent, undefined);
    // Without a content snapshot there is nothing to answer with, as in the dialog.
    if (!resolved) return true;
    if (resolved.resolution.kind === 'ask') return false;
    await this.conclude(context, intent, resolved.resolution, resolved.locale);
    return true;
  }

  private async resolveStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { intent, stated } = step.options as AnswerOptions;
    const context = step.context;
    const resolved = await this.resolve(context, intent, stated);
    if (!resolved) return step.endDialog();
    const { resolution, locale, content } = resolved;
    if (resolution.kind === 'ask') {
      const data = await this.services.conversationData.get(context, {});
      data.askingIntent = intent;
      (step.values as { slot?: string }).slot = resolution.slot;
      (step.values as { stated?: Facts }).stated = { ...stated, ...(await this.messageFacts(context, content.knowledge.intent(intent)?.reasoner)) };
      const expectation: SlotExpectation = { slot: resolution.slot, choices: resolution.choices, entity: resolution.entity };
      data.askingSlot = expectation;
      return step.prompt(SLOT_PROMPT, {
        prompt: resolution.question,
        retryPrompt: this.services.i18n.t('dialogs:slotRetry', { lng: locale, question: resolution.question }),
        validations: expectation,
      });
    }
    await this.conclude(context, intent, resolution, locale);
    return step.endDialog(resolution);
  }

  /** What the content answers for the intent, given everything known about the user; undefined without content. */
  private async resolve(context: TurnContext, intent: string, stated: Facts | undefined): Promise<{ resolution: Resolution; locale: Locale; content: ContentSnapshot } | undefined> {
    const content = getTurnContent(context);
    if (!content) return undefined;
    const locale = getReplyLocale(context) ?? this.services.defaultLocale;
    const facts = await this.factsFor(context, content.knowledge.intent(intent)?.reasoner, stated);
    return { resolution: content.knowledge.resolve({ intent, locale, facts }), locale, content };
  }

  /** Sends the answer (then hands off a topic that must go to a person), or asks to rephrase when the intent vanished in a reload. */
  private async conclude(context: TurnContext, intent: string, resolution: Exclude<Resolution, { kind: 'ask' }>, locale: Locale): Promise<void> {
    const data = await this.services.conversationData.get(context, {});
    data.askingIntent = undefined;
    data.askingSlot = undefined;
    if (resolution.kind === 'answer') {
      await this.rememberStatedSlots(context, intent);
      await this.sendAnswer(context, resolution, locale);
      // A topic that must go to a person gets its answer first (what to do right now), then the handoff.
      if (resolution.handoff) await handOff(context, this.services, { reason: 'topic', skill: resolution.skill, intent });
    }
    // The intent vanished in a content reload while its slot question was open.
    else await context.sendActivity(this.services.i18n.t('dialogs:rephrase', { lng: locale }));
  }

  private async rememberStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { intent } = step.options as AnswerOptions;
    const { slot, stated } = step.values as { slot: string; stated?: Facts };
    const profile = await this.services.profile.get(step.context, {});
    profile.facts = { ...profile.facts, [slot]: step.result as string };
    const data = await this.services.conversationData.get(step.context, {});
    data.askingIntent = undefined;
    data.askingSlot = undefined;
    return step.replaceDialog(ANSWER_DIALOG, { intent, stated } satisfies AnswerOptions);
  }

  /** Slot facts the user stated in the message ("I work in Shanghai") are kept like answers to the slot question. */
  private async rememberStatedSlots(context: TurnContext, intent: string): Promise<void> {
    const slots = getTurnContent(context)?.knowledge.intent(intent)?.slots ?? [];
    const stated = factsFromEntities(await this.entitiesAboutUser(context));
    const remembered = Object.fromEntries(slots.filter((slot) => stated[slot.name] !== undefined).map((slot) => [slot.name, stated[slot.name]!]));
    if (Object.keys(remembered).length === 0) return;
    const profile = await this.services.profile.get(context, {});
    profile.facts = { ...profile.facts, ...remembered };
  }

  /**
   * What this turn's message states: its entities (less mentions that contradict the directory)
   * and, for the coverage reasoner, how long the policy has run ("I bought it 10 days ago").
   */
  private async messageFacts(context: TurnContext, reasoner: string | undefined): Promise<Record<string, string | number>> {
    const facts: Record<string, string | number> = factsFromEntities(await this.entitiesAboutUser(context));
    if (reasoner === 'coverage') {
      // Only this reasoner reads dates: other answers never wait for the date recognizers.
      const purchased = (getTurnUnderstanding(context)?.entities ?? []).find((entity) => entity.type === 'datetime' && /^\d{4}-\d{2}-\d{2}/.test(entity.value));
      const days = purchased ? Math.floor((Date.now() - Date.parse(purchased.value.slice(0, 10))) / 86_400_000) : Number.NaN;
      if (Number.isFinite(days) && days >= 0) facts.policyDays = days;
    }
    return facts;
  }

  /**
   * Who and where the user is (kept in the profile by the identity middleware this turn), then
   * what they told before, what they stated earlier in this question, then this message: the
   * most specific wins.
   */
  private async factsFor(context: TurnContext, reasoner: string | undefined, stated: Facts = {}): Promise<Facts> {
    const profile = await this.services.profile.get(context, {});
    return { ...profile.identity, ...profile.location, ...profile.facts, ...stated, ...(await this.messageFacts(context, reasoner)) };
  }

  /**
   * The message's fact entities, less those that would contradict the identity directory without
   * being a statement about the user: a local employee asking what foreigners need is still local.
   */
  private async entitiesAboutUser(context: TurnContext): Promise<readonly Entity[]> {
    const understanding = getTurnUnderstanding(context);
    if (!understanding) return [];
    const identity = (await this.services.profile.get(context, {})).identity ?? {};
    return factEntitiesOf(understanding).filter((entity) => {
      const key = factKeyOf(entity);
      return key === undefined || identity[key] === undefined || isStatedAboutUser(understanding.text, entity);
    });
  }

  /**
   * An answer built on a message whose numbers and dates the recognizers could not finish
   * reading (see NLU_RECOGNIZER_BUDGET_MS) says so: "I bought it 10 days ago" read without its
   * date would otherwise be answered as if the policy were old, without a word.
   */
  private withCutShortNote(context: TurnContext, answer: Extract<Resolution, { kind: 'answer' }>, locale: Locale): { text: string; speak: string | undefined } {
    const understanding = getTurnUnderstanding(context);
    if (!understanding || !entitiesCutShort(understanding)) return { text: answer.text, speak: answer.speak };
    const note = this.services.i18n.t('dialogs:entitiesCutShort', { lng: locale });
    return { text: `${answer.text}\n\n${note}`, speak: answer.speak === undefined ? undefined : `${answer.speak} ${note}` };
  }

  private async sendAnswer(context: TurnContext, answer: Extract<Resolution, { kind: 'answer' }>, locale: Locale): Promise<void> {
    const content = getTurnContent(context);
    const data = await this.services.conversationData.get(context, {});
    data.intentsSeen = [...(data.intentsSeen ?? []), answer.intent].slice(-20);
    const related: PendingChoice[] = nextBestActions(answer.related, this.services.nextQuestions?.suggest(answer.intent) ?? [], answer.intent)
      .filter((id) => content?.knowledge.intent(id))
      .slice(0, MAX_RELATED)
      .map((id) => ({ value: id, title: content!.knowledge.title(id, locale), action: 'intent' }));
    const { text, speak } = this.withCutShortNote(context, answer, locale);
    const activity = related.length > 0 ? messageWithChoices(text, related, speak) : { type: 'message', text, speak };
    activity.inputHint = 'acceptingInput';
    (activity as { value?: unknown }).value = { answerId: answer.answerId, intent: answer.intent };
    data.pendingChoices = related.length > 0 ? related : undefined;
    await context.sendActivity(activity);
  }
}
