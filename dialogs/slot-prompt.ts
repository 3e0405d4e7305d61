import { Prompt, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { readCsatScore } from '../src/bot/csat-score.js';
import { getTurnUnderstanding } from '../src/bot/turn-understanding.js';
import { factsFromEntities } from '../src/knowledge/facts.js';
import { isFactType } from '../src/nlu/entities/extract-entities.js';
import { factEntitiesOf } from '../src/nlu/lazy-entities.js';
import { matchChoice, messageWithChoices, type OfferedChoice } from './choices.js';

/** What a slot question accepts, carried in the prompt's `validations`. */
export interface SlotExpectation {
  readonly slot: string;
  readonly choices: readonly OfferedChoice[];
  /** The NLU entity type that can fill the slot from free text. */
  readonly entity?: string | undefined;
  /** A slot with a reader of its own: `csat-score` reads it as every survey does (src/bot/csat-score.ts). */
  readonly readAs?: 'csat-score' | undefined;
  /** The choices were shown already (the handoff's closing notice showed the rating): asked again as text only. */
  readonly choicesOffered?: boolean | undefined;
}

/**
 * Asks for one fact an answer needs. Accepts a choice (by number, title or value) or a matching
 * entity anywhere in the reply ("I'm in Shenzhen", "佢今年5歲"), so users answer naturally.
 */
export class SlotPrompt extends Prompt<string> {
  constructor(dialogId: string) {
    super(dialogId);
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const expectation = options.validations as SlotExpectation;
    const prompt = isRetry && options.retryPrompt ? options.retryPrompt : options.prompt;
    const text = typeof prompt === 'string' ? prompt : (prompt?.text ?? '');
    await context.sendActivity(expectation.choices.length > 0 && !expectation.choicesOffered ? messageWithChoices(text, expectation.choices) : text);
  }

  protected async onRecognize(context: TurnContext, _state: object, options: PromptOptions): Promise<PromptRecognizerResult<string>> {
    const expectation = options.validations as SlotExpectation;
    const value = recognizeSlotValue(context, expectation);
    return value === undefined ? { succeeded: false } : { succeeded: true, value };
  }
}

const BARE_AGE = /^\s*(\d{1,3})\s*[.!。！]?\s*$/u;
const MAX_AGE = 120;

export function recognizeSlotValue(context: TurnContext, expectation: SlotExpectation): string | undefined {
  const reply = context.activity.text ?? '';
  if (expectation.readAs === 'csat-score') {
    const score = readCsatScore(reply, expectation.choices.map((choice) => choice.title), getTurnUnderstanding(context)?.entities);
    return score === undefined ? undefined : String(score);
  }
  const chosen = matchChoice(reply, expectation.choices);
  if (chosen) return chosen.value;
  const understanding = getTurnUnderstanding(context);
  const facts = understanding ? factEntitiesOf(understanding) : [];
  const fromEntities = factsFromEntities(facts)[expectation.slot];
  if (fromEntities !== undefined) {
    if (expectation.choices.length === 0 || expectation.choices.some((choice) => choice.value === fromEntities)) return fromEntities;
  }
  if (expectation.entity) {
    // An age is a fact; a slot that wants a number or a date needs the recognizers.
    const entities = isFactType(expectation.entity) ? facts : (understanding?.entities ?? []);
    const entity = entities.find((candidate) => candidate.type === expectation.entity);
    if (entity) return entity.value;
    // "34" in answer to "How old is the insured person?" is an age, though alone it is just a number.
    const bare = BARE_AGE.exec(reply);
    if (expectation.entity === 'age' && bare && Number(bare[1]) <= MAX_AGE) return String(Number(bare[1]));
  }
  return undefined;
}
