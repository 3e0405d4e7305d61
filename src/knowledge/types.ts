import type { Locale } from '../config.js';
import type { CustomEntityList, TrainingExample } from '../nlu/types.js';

/** A string in every reply locale. zh-TW is derived from zh-CN (OpenCC cn→tw) when the content omits it. */
export type LocalizedText = Readonly<Record<Locale, string>>;

/**
 * What the bot knows about the user and the question, flat: the dialogs merge the profile,
 * the identity directory and the message's entities (see `factsFromEntities`). Values are
 * compared as strings; numeric conditions (`{min, max}`) parse them as numbers.
 * Well-known keys: city, district, site, employeeType, department, segment, age, relation,
 * condition, product, policyDays.
 */
export type Facts = Readonly<Record<string, string | number | undefined>>;

export interface PackInfo {
  readonly id: string;
  readonly titles: LocalizedText;
  readonly description: string;
}

export interface SlotChoice {
  /** The fact value stored when chosen (e.g. `shenzhen`). */
  readonly value: string;
  readonly titles: LocalizedText;
  /** Extra words a reply may use for this choice (any language), besides the titles and value. */
  readonly synonyms: readonly string[];
}

export interface SlotInfo {
  /** The fact the slot fills (e.g. `city`). */
  readonly name: string;
  readonly questions: LocalizedText;
  /** Known values; empty when the answer is free (then `entity` says what to extract). */
  readonly choices: readonly SlotChoice[];
  /** The NLU entity type that fills it from free text (`age`, `number`, `place`, …), if any. */
  readonly entity?: string;
}

export interface IntentInfo {
  /** Namespaced `pack.intent`. */
  readonly id: string;
  readonly pack: string;
  readonly titles: LocalizedText;
  /** Facts the answer needs; missing ones are asked for in this order. */
  readonly slots: readonly SlotInfo[];
  /** Intents to suggest next (ids of loaded intents). */
  readonly related: readonly string[];
  /** The topic must go to a human agent. */
  readonly handoff: boolean;
  /** The agent skill to route a handoff to. */
  readonly skill: string | undefined;
  /** Name of the graph reasoner answering this intent (e.g. `coverage`), if any. */
  readonly reasoner: string | undefined;
  /** Higher first in help / suggestions. */
  readonly priority: number;
  /** How sure the NLU must be before the dialogs act on it (see the `policy` of the content format). */
  readonly policy: IntentPolicy;
}

export interface IntentPolicy {
  readonly minConfidence?: number | undefined;
  readonly confirm: boolean;
  readonly recallFirst: boolean;
}

export interface ResolveRequest {
  readonly intent: string;
  readonly locale: Locale;
  readonly facts: Facts;
}

export interface ChoiceOption {
  readonly value: string;
  readonly title: string;
}

export type Resolution =
  | {
      readonly kind: 'answer';
      readonly intent: string;
      /** Stable id of the content piece used (`hr.social_insurance#shanghai-local`), for analytics and tests. */
      readonly answerId: string;
      readonly text: string;
      /** Plain text for speech (markdown stripped), when it differs from `text`. */
      readonly speak?: string;
      readonly related: readonly string[];
      readonly handoff: boolean;
      readonly skill?: string;
    }
  | {
      readonly kind: 'ask';
      readonly intent: string;
      /** The fact to fill; store the chosen value under this key and resolve again. */
      readonly slot: string;
      readonly question: string;
      readonly choices: readonly ChoiceOption[];
      /** The NLU entity type that can fill it from free text, when there are no choices. */
      readonly entity?: string;
    }
  | {
      /** The intent is not in this snapshot (e.g. removed by a reload while a slot question was pending). */
      readonly kind: 'unknown';
      readonly intent: string;
    };

/** Loaded, validated content of one or more packs. Immutable: a reload builds a new one. */
export interface KnowledgeBase {
  readonly packs: readonly PackInfo[];
  readonly intents: readonly IntentInfo[];
  intent(id: string): IntentInfo | undefined;
  /** The intent's title in `locale`; the id itself only for an unknown intent. */
  title(intentId: string, locale: Locale): string;
  /** The most useful topics for "what can you do?": by priority, alternating packs, `core` excluded. */
  topIntents(limit: number): readonly IntentInfo[];
  /** The NLU's training corpus: every example of every intent. */
  trainingExamples(): TrainingExample[];
  /** Custom list entities (`condition`, `product`, `site`, …) for `extractEntities` / `NluEngine`. */
  customEntityLists(): CustomEntityList[];
  resolve(request: ResolveRequest): Resolution;
}
